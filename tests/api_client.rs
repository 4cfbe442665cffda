//! The HTTP client against the real demo server: reads are abandoned when the part of the widget that
//! asked goes away, and finish normally otherwise.

mod support;

use std::future::Future;
use std::task::{Context, Poll, Waker};

use booking_model::PublicService;
use booking_widget::{Api, ApiError};
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use wasm_bindgen_test::*;

use support::api_url;

wasm_bindgen_test_configure!(run_in_browser);

/// Starts `api.services` under a fresh reactive owner and polls it once, so the fetch is in flight.
fn start_read(owner: &Owner) -> impl Future<Output = Result<Vec<PublicService>, ApiError>> {
    let api = Api::new(api_url(), "demo");
    let mut read =
        Box::pin(owner.with(|| ScopedFuture::new(async move { api.services("en").await })));
    let mut cx = Context::from_waker(Waker::noop());
    // A fetch can't settle synchronously: the first poll only sends the request.
    assert!(matches!(read.as_mut().poll(&mut cx), Poll::Pending));
    read
}

#[wasm_bindgen_test]
async fn a_read_in_flight_is_aborted_when_its_owner_is_cleaned_up() {
    let owner = Owner::new();
    let read = start_read(&owner);
    owner.cleanup();
    assert_eq!(read.await, Err(ApiError::Aborted));
}

#[wasm_bindgen_test]
async fn a_read_whose_owner_stays_completes() {
    let owner = Owner::new();
    let services = start_read(&owner).await.expect("services");
    let ids: Vec<_> = services.iter().filter_map(|s| s.id.as_deref()).collect();
    assert_eq!(ids, ["haircut", "colour", "massage", "consult", "yoga"]);
    assert_eq!(
        services[0].name.as_deref(),
        Some("Haircut & blow-dry"),
        "named in the language asked"
    );
}
