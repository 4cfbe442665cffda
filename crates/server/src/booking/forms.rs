//! Which booking form applies to a service or resource.

use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::{Form, FormItem, FormItemType, FormObjectType};
use sqlx::Executor;

use crate::db::business::{self, Collection};
use crate::db::Backend;
use crate::error::Result;

/// The booking form for a service: one naming it, else one for every location, else the built-in
/// contact-only form.
pub async fn form_for<'c, E: Executor<'c, Database = Backend>>(
    db: E,
    company_id: &str,
    service_id: &str,
) -> Result<Form> {
    let forms: Vec<Form> = business::list_docs(db, Collection::Forms, company_id).await?;
    Ok(choose(&forms, service_id))
}

/// The booking form for a service among a company's `forms`: one naming it, else one for every
/// location, else the built-in contact-only form.
pub fn choose(forms: &[Form], service_id: &str) -> Form {
    let names_service = |f: &&Form| {
        f.objects.iter().any(|o| {
            o.object_type == Some(FormObjectType::Service) && o.id.as_deref() == Some(service_id)
        })
    };
    let for_everything = |f: &&Form| {
        f.objects.is_empty()
            || f.objects
                .iter()
                .any(|o| o.object_type == Some(FormObjectType::AllLocations))
    };
    let chosen = forms
        .iter()
        .find(names_service)
        .or_else(|| forms.iter().find(for_everything))
        .cloned();
    chosen.unwrap_or_else(default_form)
}

/// The contact fields every booking needs, for companies that defined no form.
fn default_form() -> Form {
    let item = |id: &str, kind, title: &str, bind: &str, external: &str, mandatory| FormItem {
        id: Some(id.to_owned()),
        item_type: Some(kind),
        title: Some(title.to_owned()),
        bind: Some(bind.to_owned()),
        external_id: Some(external.to_owned()),
        mandatory: Some(mandatory),
        visible: Some(true),
        ..FormItem::default()
    };
    Form {
        id: Some("default".to_owned()),
        name: Some("Contact".to_owned()),
        contact_fields: vec![
            item(
                "firstName",
                FormItemType::Input,
                "First name",
                BIND_FIRST_NAME,
                "firstname",
                true,
            ),
            item(
                "lastName",
                FormItemType::Input,
                "Last name",
                BIND_LAST_NAME,
                "lastname",
                true,
            ),
            item(
                "email",
                FormItemType::Email,
                "Email",
                BIND_EMAIL,
                "email",
                true,
            ),
            item(
                "phone",
                FormItemType::Phone,
                "Phone",
                BIND_PHONE,
                "phone",
                false,
            ),
        ],
        ..Form::default()
    }
}
