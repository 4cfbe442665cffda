//! File answers (`FormItem` type `file`): sent as `data:<mime>;base64,…` URIs, stored once in
//! `db::files`, kept in the appointment as a `stored-file:<id>` reference, returned by get and list
//! as an authenticated download link named by `fileName` (or `file` plus the media type's
//! extension). Search never sees their content.

use base64::alphabet::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use booking_model::{Form, FormItem, FormItemType};
use chrono::{DateTime, Utc};

use super::ids;
use crate::db::files::{self, StoredFile, REFERENCE};
use crate::db::Conn;
use crate::error::{Error, Result};

/// A data URI that passes validation, standing in for a file kept from before.
const KEPT: &str = "data:application/octet-stream;base64,";

/// Decodes what the model's validation accepted (padding optional).
const DECODER: GeneralPurpose = GeneralPurpose::new(
    &STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn for_each_item(items: &mut [FormItem], f: &mut impl FnMut(&mut FormItem)) {
    for item in items {
        f(item);
        for_each_item(&mut item.sub_item, f);
    }
}

/// Calls `f` on every item of `form`, sub-items included.
pub fn each_item_mut(form: &mut Form, mut f: impl FnMut(&mut FormItem)) {
    for_each_item(&mut form.contact_fields, &mut f);
    for page in &mut form.additional_fields {
        for_each_item(page, &mut f);
    }
}

/// Ids of the definition's file items.
pub fn file_item_ids(definition: &Form) -> Vec<String> {
    definition
        .items()
        .filter(|item| item.item_type == Some(FormItemType::File))
        .filter_map(|item| item.id.clone())
        .collect()
}

/// For an update: file answers sent back as they were read (their link or reference) keep the
/// stored file. Returns the form to validate, where those stand in as valid empty files.
pub fn keep_unchanged(form: &mut Form, previous: Option<&Form>, file_ids: &[String]) -> Form {
    let mut to_validate = form.clone();
    let mut kept = Vec::new();
    let stored = |id: &str| {
        previous
            .and_then(|p| p.item(id))
            .and_then(|i| i.value.clone())
            .filter(|v| v.starts_with(REFERENCE))
    };
    let is_file = |item: &FormItem| {
        item.id
            .as_deref()
            .is_some_and(|id| file_ids.iter().any(|f| f == id))
    };
    each_item_mut(form, |item| {
        let Some(id) = item.id.clone().filter(|_| is_file(item)) else {
            return;
        };
        let sent = item.value.as_deref().unwrap_or_default();
        if let Some(reference) = stored(&id) {
            let file_id = &reference[REFERENCE.len()..];
            if sent == reference || (sent.contains("/files/") && sent.contains(file_id)) {
                item.value = Some(reference);
                kept.push(id);
            }
        }
    });
    each_item_mut(&mut to_validate, |item| {
        if item.id.as_ref().is_some_and(|id| kept.contains(id)) {
            item.value = Some(KEPT.to_owned());
        }
    });
    to_validate
}

/// `file` plus an extension for a media type, when no `fileName` was sent.
fn default_name(media_type: &str) -> String {
    let ext = match media_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "text/plain" => "txt",
        "text/csv" => "csv",
        other => other
            .split_once('/')
            .map(|(_, sub)| sub)
            .filter(|s| s.chars().all(|c| c.is_ascii_alphanumeric()))
            .unwrap_or("bin"),
    };
    format!("file.{ext}")
}

/// Moves every newly sent file answer of `form` (items in `file_ids` whose value is a data URI)
/// into `db::files`, leaving its reference and `fileName` in the form.
pub async fn store(
    conn: &mut Conn,
    (company_id, appointment_id): (&str, &str),
    form: &mut Form,
    file_ids: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let mut new_files = Vec::new();
    let mut undecodable = None;
    each_item_mut(form, |item| {
        let is_file = item
            .id
            .as_deref()
            .is_some_and(|id| file_ids.iter().any(|f| f == id));
        let Some(uri) = item
            .value
            .as_deref()
            .filter(|v| is_file && v.starts_with("data:"))
        else {
            return;
        };
        // Validated already: `data:<mime>[;…];base64,<payload>`.
        let (meta, payload) = uri[5..].split_once(',').unwrap_or_default();
        let media_type = meta
            .split(';')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Ok(content) = DECODER.decode(payload) else {
            undecodable = item.id.clone();
            return;
        };
        let file_name = item
            .file_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| default_name(&media_type));
        let id = ids::record_id();
        item.value = Some(format!("{REFERENCE}{id}"));
        item.file_name = Some(file_name.clone());
        new_files.push(StoredFile {
            id,
            appointment_id: appointment_id.to_owned(),
            file_name,
            media_type,
            content,
        });
    });
    if let Some(id) = undecodable {
        return Err(Error::field(
            "form",
            format!("the file of item `{id}` is not valid base64: re-encode it"),
        ));
    }
    for file in &new_files {
        files::insert(conn, company_id, file, now).await?;
    }
    Ok(())
}

/// Replaces each stored-file reference of `form` by `link(file id, file name)`.
pub fn link_files(form: &mut Form, link: impl Fn(&str, &str) -> String) {
    each_item_mut(form, |item| {
        if let Some(id) = item
            .value
            .as_deref()
            .and_then(|v| v.strip_prefix(REFERENCE))
        {
            let name = item.file_name.clone().unwrap_or_else(|| "file".to_owned());
            item.value = Some(link(id, &name));
        }
    });
}

/// The stored file `file_id` of an appointment; 404 otherwise.
pub async fn download(
    conn: &mut Conn,
    company_id: &str,
    appointment_id: &str,
    file_id: &str,
) -> Result<StoredFile> {
    files::get(conn, company_id, appointment_id, file_id)
        .await?
        .ok_or_else(|| Error::NotFound(format!("file `{file_id}` not found")))
}
