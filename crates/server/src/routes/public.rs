//! Public routes for the widget, under `/companies/{companyId}/widget/`: no auth, nothing private
//! (no private extended properties, no other clients, no internal notes).

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use booking_model::{
    Company, ListResponse, PublicCompany, PublicResource, PublicService, PublicStaff, Resource,
    Service, Staff,
};

use crate::db::business::{self, Collection};
use crate::error::{Error, Result};
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

/// The company, or 404 — the same answer whether it never existed or was removed.
pub async fn load_company(state: &AppState, company_id: &str) -> Result<Company> {
    business::get_company(&state.db, company_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("company `{company_id}` not found")))
}

async fn company(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<PublicCompany>> {
    let company = load_company(&state, &company_id).await?;
    Ok(Json(PublicCompany::from(&company)))
}

async fn services(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Json<ListResponse<PublicService>>> {
    let company = load_company(&state, &company_id).await?;
    let lang = query.lang.as_deref();
    Ok(Json(
        services_of(&state, &company_id, &company, lang).await?,
    ))
}

/// The `services` answer for `company`, names in `lang`: the route's, and the one the widget page
/// inlines (routes/site/early.rs), so both are the same text.
pub async fn services_of(
    state: &AppState,
    company_id: &str,
    company: &Company,
    lang: Option<&str>,
) -> Result<ListResponse<PublicService>> {
    let services: Vec<Service> =
        business::list_docs(&state.db, Collection::Services, company_id).await?;
    let items = services
        .iter()
        .map(|s| PublicService::from_service(s, company.currency, lang))
        .collect();
    Ok(ListResponse::new(items))
}

async fn resources(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
) -> Result<Json<ListResponse<PublicResource>>> {
    let company = load_company(&state, &company_id).await?;
    let resources: Vec<Resource> =
        business::list_docs(&state.db, Collection::Resources, &company_id).await?;
    let items = resources
        .iter()
        .map(|r| PublicResource::from_resource(r, company.currency))
        .collect();
    Ok(Json(ListResponse::new(items)))
}

async fn staff(
    State(state): State<AppState>,
    Path(company_id): Path<String>,
    Query(query): Query<StaffQuery>,
) -> Result<Json<ListResponse<PublicStaff>>> {
    load_company(&state, &company_id).await?;
    let staff: Vec<Staff> = business::list_docs(&state.db, Collection::Staff, &company_id).await?;
    let items = staff
        .iter()
        .filter(|s| s.is_available_for_widget())
        .filter(|s| query.service_id.as_deref().is_none_or(|id| s.performs(id)))
        .map(PublicStaff::from)
        .collect();
    Ok(Json(ListResponse::new(items)))
}
