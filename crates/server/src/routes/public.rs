//! Public routes for the widget, under `/companies/{companyId}/widget/`: no auth, nothing private
//! (no private extended properties, no other clients, no internal notes).

use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use booking_model::{ListResponse, PublicCompany, PublicResource, PublicService, PublicStaff};

use crate::booking::catalog::{Catalog, Offer};
use crate::error::Result;
use crate::extract::{Json, Path, Query};
use crate::AppState;

/// The widget's read-only routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/widget/company", get(company))
        .route("/widget/services", get(services))
        .route("/widget/staff", get(staff))
        .route("/widget/resources", get(resources))
}

/// `?lang=fr`: language of names and descriptions.
#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// `?serviceId=...`: only staff who perform this service.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StaffQuery {
    service_id: Option<String>,
}

/// The company's catalogue as bookings and `freeSlots` read it, through the process's
/// [`Cache`](crate::booking::catalog::Cache) (one indexed read while the setup is unchanged), or 404 — the same answer
/// whether the company never existed or was removed.
pub async fn offer(state: &AppState, company_id: &str) -> Result<Arc<Offer>> {
    let mut conn = state.db.acquire().await?;
    state.catalogs.offer(&mut conn, company_id).await
}

async fn company(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<PublicCompany>> {
    let offer = offer(&state, &company_id).await?;
    Ok(Json(PublicCompany::from(&offer.catalog.company)))
}

async fn services(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Json<ListResponse<PublicService>>> {
    let offer = offer(&state, &company_id).await?;
    Ok(Json(services_of(&offer.catalog, query.lang.as_deref())))
}

/// The `services` answer of a catalogue, names in `lang`: the route's, and the one the widget page
/// inlines (routes/site/early.rs), so both are the same text.
pub fn services_of(catalog: &Catalog, lang: Option<&str>) -> ListResponse<PublicService> {
    let currency = catalog.company.currency;
    let items = catalog
        .services
        .iter()
        .map(|s| PublicService::from_service(s, currency, lang))
        .collect();
    ListResponse::new(items)
}

async fn resources(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<ListResponse<PublicResource>>> {
    let offer = offer(&state, &company_id).await?;
    let catalog = &offer.catalog;
    let items = catalog
        .resources
        .iter()
        .map(|r| PublicResource::from_resource(r, catalog.company.currency))
        .collect();
    Ok(Json(ListResponse::new(items)))
}

async fn staff(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(query): Query<StaffQuery>,
) -> Result<Json<ListResponse<PublicStaff>>> {
    let offer = offer(&state, &company_id).await?;
    let items = offer
        .catalog
        .staff
        .iter()
        .filter(|s| s.is_available_for_widget())
        .filter(|s| query.service_id.as_deref().is_none_or(|id| s.performs(id)))
        .map(PublicStaff::from)
        .collect();
    Ok(Json(ListResponse::new(items)))
}
