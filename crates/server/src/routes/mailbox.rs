//! The demo's mailbox (`--demo` with no SMTP server): `/demo/mailbox` lists the emails the server
//! wrote as `.eml` files in its mail directory, newest first; `/demo/mailbox/{id}` shows one (its
//! headers, the text part, the HTML part in a sandboxed frame, the attachments). So a newcomer sees
//! the confirmation right after booking in the demo.

use std::path::{Path as FsPath, PathBuf};
use std::time::SystemTime;

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use mail_parser::{MessageParser, MimeHeaders};

use crate::html::escape;
use crate::{AppState, Config};

/// The mailbox's routes: only with `--demo` and a mail directory.
pub fn router(config: &Config) -> Router<AppState> {
    let (true, Some(dir)) = (config.demo, config.email.mail_dir.clone()) else {
        return Router::new();
    };
    let (list_dir, one_dir, html_dir) = (dir.clone(), dir.clone(), dir);
    Router::new()
        .route(
            "/demo/mailbox",
            get(move || async move { Html(list(&list_dir).await) }),
        )
        .route(
            "/demo/mailbox/{id}",
            get(move |Path(id): Path<String>| async move { one(&one_dir, &id).await }),
        )
        .route(
            "/demo/mailbox/{id}/html",
            get(move |Path(id): Path<String>| async move { html_part(&html_dir, &id).await }),
        )
}

/// A message id as the outbox makes them (`msg_` + letters and digits): nothing else names a file.
fn file_of(dir: &FsPath, id: &str) -> Option<PathBuf> {
    let valid = id.starts_with("msg_")
        && id.len() <= 64
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| dir.join(format!("{id}.eml")))
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/demo/site.css\"></head>\n<body>\
         <header><h1>Demo mailbox</h1><p>The emails this demo server sent, as it wrote them \
         (no SMTP server configured).</p><nav aria-label=\"Demo pages\"><a href=\"/\">Back to the \
         demo</a> · <a href=\"/demo/mailbox\">All emails</a></nav></header>\n\
         <main class=\"single\">{body}</main></body></html>\n",
        title = escape(title)
    )
}

fn addresses(list: Option<&mail_parser::Address<'_>>) -> String {
    list.map(|a| {
        a.iter()
            .filter_map(|addr| addr.address().map(str::to_owned))
            .collect::<Vec<_>>()
            .join(", ")
    })
    .unwrap_or_default()
}

async fn list(dir: &FsPath) -> String {
    let mut entries: Vec<(SystemTime, String)> = Vec::new();
    if let Ok(mut read) = tokio::fs::read_dir(dir).await {
        while let Ok(Some(entry)) = read.next_entry().await {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(id) = name.strip_suffix(".eml") {
                let modified = entry
                    .metadata()
                    .await
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                entries.push((modified, id.to_owned()));
            }
        }
    }
    entries.sort_by(|a, b| b.cmp(a));
    let mut rows = String::new();
    for (_, id) in entries.iter().take(200) {
        let Some(path) = file_of(dir, id) else {
            continue;
        };
        let Ok(raw) = tokio::fs::read(&path).await else {
            continue;
        };
        let Some(mail) = MessageParser::default().parse(&raw) else {
            continue;
        };
        rows.push_str(&format!(
            "<tr><td>{date}</td><td>{to}</td><td><a href=\"/demo/mailbox/{id}\">{subject}</a></td></tr>\n",
            date = escape(&mail.date().map(|d| d.to_rfc3339()).unwrap_or_default()),
            to = escape(&addresses(mail.to())),
            subject = escape(mail.subject().unwrap_or("(no subject)")),
        ));
    }
    let body = match rows.is_empty() {
        true => "<p>No email yet: book an appointment in the demo, then come back.</p>".to_owned(),
        false => format!(
            "<table><thead><tr><th>Sent</th><th>To</th><th>Subject</th></tr></thead>\n\
             <tbody>\n{rows}</tbody></table>"
        ),
    };
    page("Demo mailbox", &body)
}

async fn read(dir: &FsPath, id: &str) -> Option<Vec<u8>> {
    tokio::fs::read(file_of(dir, id)?).await.ok()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page("Not found", "<p>No such email.</p>")),
    )
        .into_response()
}

async fn one(dir: &FsPath, id: &str) -> Response {
    let Some(raw) = read(dir, id).await else {
        return not_found();
    };
    let Some(mail) = MessageParser::default().parse(&raw) else {
        return not_found();
    };
    let subject = mail.subject().unwrap_or("(no subject)").to_owned();
    let attachments = mail
        .attachments()
        .map(|a| {
            format!(
                "<li>{} ({} bytes)</li>",
                escape(a.attachment_name().unwrap_or("attachment")),
                a.contents().len()
            )
        })
        .collect::<String>();
    let body = format!(
        "<article><h2>{subject}</h2><dl>\
         <dt>From</dt><dd>{from}</dd><dt>To</dt><dd>{to}</dd><dt>Reply-To</dt><dd>{reply}</dd>\
         <dt>Date</dt><dd>{date}</dd></dl>\
         <h3>HTML part</h3><iframe title=\"HTML part\" \
         sandbox=\"allow-popups allow-popups-to-escape-sandbox\" src=\"/demo/mailbox/{id}/html\" \
         style=\"width:100%;min-height:32rem;border:1px solid #ccc;background:#fff\"></iframe>\
         <h3>Text part</h3><pre style=\"white-space:pre-wrap\">{text}</pre>\
         <h3>Attachments</h3><ul>{attachments}</ul></article>",
        subject = escape(&subject),
        from = escape(&addresses(mail.from())),
        to = escape(&addresses(mail.to())),
        reply = escape(&addresses(mail.reply_to())),
        date = escape(&mail.date().map(|d| d.to_rfc3339()).unwrap_or_default()),
        text = escape(&mail.body_text(0).unwrap_or_default()),
    );
    Html(page(&subject, &body)).into_response()
}

/// The HTML part alone, for the sandboxed frame: no script runs, nothing loads from elsewhere; a
/// link opens in a new, unsandboxed tab.
async fn html_part(dir: &FsPath, id: &str) -> Response {
    let html = match read(dir, id).await {
        Some(raw) => MessageParser::default()
            .parse(&raw)
            .and_then(|m| m.body_html(0).map(|h| h.into_owned())),
        None => None,
    };
    // Its links (reschedule, cancel) open in a new tab, where the widget can run.
    let html = html.map(|h| h.replacen("<head>", "<head><base target=\"_blank\">", 1));
    match html {
        Some(html) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (
                    header::CONTENT_SECURITY_POLICY,
                    "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; \
                     style-src 'unsafe-inline'; img-src data:",
                ),
            ],
            html,
        )
            .into_response(),
        None => not_found(),
    }
}
