use serde::{Deserialize, Serialize};

/// A page of results: `{"items": [...], "nextSyncToken": ..., "nextPageToken": ...}`.
///
/// Both tokens are opaque. An expired or unknown `syncToken` is answered with 410 Gone, after which
/// the client re-syncs from scratch (as with Google Calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "openapi", schemars(rename = "{T}List"))]
pub struct ListResponse<T> {
    /// The entries of this page.
    #[serde(default)]
    pub items: Vec<T>,
    /// On the last page: pass as `syncToken` to get only what changed since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_sync_token: Option<String>,
    /// When more pages follow: pass as `pageToken` to get the next one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}

impl<T> ListResponse<T> {
    /// A single, complete page without tokens.
    pub fn new(items: Vec<T>) -> Self {
        Self {
            items,
            next_sync_token: None,
            next_page_token: None,
        }
    }
}

impl<T> Default for ListResponse<T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}
