//! Static files held in memory with their brotli and gzip forms, answered with the right headers.
//!
//! The built widget is small (about a megabyte), so it is read once at start: no file system work per
//! request, and every response is a pure function of the path and two request headers
//! (`Accept-Encoding`, `If-None-Match`) — what a CDN in front needs. `Vary: Accept-Encoding` says so.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::encoding::{self, Coding};

/// Files whose name carries their content hash never change: cached for a year, never revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else is revalidated on every use (`ETag` → 304): a deploy reaches visitors at once, and
/// an `index.html` never outlives the hashed files it names.
pub const REVALIDATE: &str = "no-cache";
/// While the compressed forms are still being made, nothing may be stored: a cache keyed on
/// `Accept-Encoding` would otherwise keep the uncompressed body for a year.
const WARMING_UP: &str = "no-store";

/// A file's compressed forms; `None` where compressing does not make it smaller.
#[derive(Debug, Clone, Default)]
pub struct Compressed {
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Compressed {
    /// Both forms of `bytes`, each kept only if smaller; `known` ones are taken as they are.
    fn make(bytes: &[u8], br: Option<Vec<u8>>, gzip: Option<Vec<u8>>) -> Self {
        let smaller = |form: Vec<u8>| (form.len() < bytes.len()).then(|| Bytes::from(form));
        Compressed {
            br: br
                .or_else(|| encoding::brotli(bytes).ok())
                .and_then(smaller),
            gzip: gzip
                .or_else(|| encoding::gzip(bytes).ok())
                .and_then(smaller),
        }
    }
}

/// One file as served.
#[derive(Debug)]
pub struct StaticFile {
    content_type: &'static str,
    cache_control: &'static str,
    /// Hex of the content's SHA-256 (first 16 bytes): the ETag, plus a suffix per coding.
    hash: String,
    identity: Bytes,
    /// Set once the compressed forms exist; until then only identity is sent.
    compressed: OnceLock<Compressed>,
}

/// The ETag of `bytes` before its coding's suffix: hex of their SHA-256's first 16 bytes.
pub(super) fn etag_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

impl StaticFile {
    /// A file named `name` (for its type and caching) whose compressed forms are still to be made.
    fn pending(name: &str, bytes: Vec<u8>, cache_control: &'static str) -> Self {
        let hash = etag_hash(&bytes);
        StaticFile {
            content_type: content_type(name),
            cache_control,
            hash,
            identity: Bytes::from(bytes),
            compressed: OnceLock::new(),
        }
    }

    /// A file compressed right away (small embedded files).
    pub fn compressed_now(name: &str, bytes: &[u8], cache_control: &'static str) -> Self {
        let file = StaticFile::pending(name, bytes.to_vec(), cache_control);
        let forms = if encoding::compressible(name) {
            Compressed::make(bytes, None, None)
        } else {
            Compressed::default()
        };
        let _ = file.compressed.set(forms);
        file
    }

    /// The file's bytes, uncompressed.
    pub fn bytes(&self) -> &[u8] {
        &self.identity
    }

    /// The response to a GET (or HEAD) with these request headers.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let text = |name| {
            request
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
        };
        let ready = self.compressed.get();
        let coding = ready.map_or(Coding::Identity, |c| {
            encoding::negotiate(
                text(header::ACCEPT_ENCODING),
                c.br.is_some(),
                c.gzip.is_some(),
            )
        });
        let body = match (coding, ready) {
            (Coding::Br, Some(Compressed { br: Some(b), .. }))
            | (Coding::Gzip, Some(Compressed { gzip: Some(b), .. })) => b.clone(),
            _ => self.identity.clone(),
        };
        let etag = format!("\"{}{}\"", self.hash, coding.etag_suffix());
        let mut headers = HeaderMap::new();
        let cache_control = if ready.is_some() {
            self.cache_control
        } else {
            WARMING_UP
        };
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        // Direct mount: a customer page loads the widget's module and wasm cross-origin.
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        if let Ok(value) = HeaderValue::from_str(&etag) {
            headers.insert(header::ETAG, value);
        }
        if text(header::IF_NONE_MATCH).is_some_and(|tags| encoding::none_match(tags, &etag)) {
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if let Some(name) = coding.header() {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
        }
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
        (headers, body).into_response()
    }
}

/// A directory's files (trunk's `dist/`), by path relative to it with `/` separators.
#[derive(Debug, Default)]
pub struct FileTable {
    files: HashMap<String, Arc<StaticFile>>,
}

impl FileTable {
    /// Reads every file under `dir`. Precompressed `x.br` / `x.gz` beside `x` (written by
    /// `cargo xtask` after trunk) are used when at least as new as `x`; forms still missing are made
    /// on a background thread, so a server starts at once even on a debug build.
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut found = Vec::new();
        walk(dir, "", &mut found)?;
        let names: std::collections::HashSet<String> =
            found.iter().map(|(name, _)| name.clone()).collect();
        let mut table = FileTable::default();
        let mut to_compress = Vec::new();
        for (name, path) in found {
            let is_sidecar = [".br", ".gz"].iter().any(|ext| {
                name.strip_suffix(ext)
                    .is_some_and(|base| names.contains(base))
            });
            if is_sidecar {
                continue;
            }
            let bytes = std::fs::read(&path)?;
            let cache_control = if content_hashed(&name) {
                IMMUTABLE
            } else {
                REVALIDATE
            };
            let file = Arc::new(StaticFile::pending(&name, bytes, cache_control));
            if encoding::compressible(&name) {
                let br = fresh_sidecar(&path, "br");
                let gzip = fresh_sidecar(&path, "gz");
                if br.is_some() && gzip.is_some() {
                    let _ = file
                        .compressed
                        .set(Compressed::make(&file.identity, br, gzip));
                } else {
                    to_compress.push((file.clone(), br, gzip));
                }
            } else {
                let _ = file.compressed.set(Compressed::default());
            }
            table.files.insert(name, file);
        }
        if !to_compress.is_empty() {
            tracing::info!(
                files = to_compress.len(),
                "compressing widget files without precompressed forms (run `cargo xtask` builds to have them)"
            );
            std::thread::spawn(move || {
                for (file, br, gzip) in to_compress {
                    let forms = compressed_once(&file, br, gzip);
                    let _ = file.compressed.set(forms);
                }
            });
        }
        Ok(table)
    }

    /// The file at `path` (`""` or a trailing `/` mean that directory's `index.html`).
    pub fn get(&self, path: &str) -> Option<&StaticFile> {
        let path = path.trim_start_matches('/');
        let key = if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path.to_owned()
        };
        self.files.get(&key).map(Arc::as_ref)
    }
}

/// Compressions made in this process, by content: test binaries start many servers over one `dist/`,
/// and each should not pay for brotli again.
fn compressed_once(file: &StaticFile, br: Option<Vec<u8>>, gzip: Option<Vec<u8>>) -> Compressed {
    if br.is_some() || gzip.is_some() {
        // Partly precompressed: those forms are used as they are, not a memo of other ones.
        return Compressed::make(&file.identity, br, gzip);
    }
    type Memo = Mutex<HashMap<String, Arc<OnceLock<Compressed>>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    let cell = {
        let mut memo = MEMO
            .get_or_init(Memo::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        memo.entry(file.hash.clone()).or_default().clone()
    };
    cell.get_or_init(|| Compressed::make(&file.identity, None, None))
        .clone()
}

/// `path.ext` when it exists and is not older than `path`.
fn fresh_sidecar(path: &Path, ext: &str) -> Option<Vec<u8>> {
    let mut sidecar = path.as_os_str().to_owned();
    sidecar.push(format!(".{ext}"));
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let original: SystemTime = modified(path)?;
    let sidecar = Path::new(&sidecar);
    if modified(sidecar)? < original {
        return None;
    }
    std::fs::read(sidecar).ok()
}

fn walk(
    dir: &Path,
    prefix: &str,
    found: &mut Vec<(String, std::path::PathBuf)>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue; // not UTF-8: no URL names it
        };
        let relative = format!("{prefix}{name}");
        if entry.file_type()?.is_dir() {
            walk(&entry.path(), &format!("{relative}/"), found)?;
        } else {
            found.push((relative, entry.path()));
        }
    }
    Ok(())
}

/// The shared naming convention: a `-` followed by 16 lowercase hex digits (trunk's hashes, e.g.
/// `booking-widget-1a2b3c4d5e6f7a8b_bg.wasm`) marks a file whose content never changes. trunk prints its
/// 64-bit hash without leading zeros (`booking-widget-9f77daf15e4785f.js`, one build in 16), so 12 to 16
/// digits count: shorter runs would take ordinary names (`x-cafe.css`) for hashes.
pub fn content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let is_hex = |c: &u8| c.is_ascii_digit() || (b'a'..=b'f').contains(c);
    name.bytes().enumerate().any(|(i, c)| {
        c == b'-' && {
            let run = name.as_bytes()[i + 1..]
                .iter()
                .take_while(|c| is_hex(c))
                .count();
            (12..=16).contains(&run)
        }
    })
}

fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        // Required for WebAssembly.instantiateStreaming.
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "txt" | "ts" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "ics" => "text/calendar; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_naming_convention() {
        assert!(content_hashed("booking-widget-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(content_hashed("main-0123456789abcdef.css"));
        assert!(content_hashed("i18n/fr-0123456789abcdef.json"));
        assert!(!content_hashed("index.html"));
        assert!(
            content_hashed("booking-widget-9f77daf15e4785f.js"),
            "leading zero dropped"
        );
        assert!(!content_hashed("main-0123456789a.css"), "11 digits");
        assert!(!content_hashed("site-cafe.css"), "a word");
        assert!(!content_hashed("main-0123456789abcdef0.css"), "17 digits");
        assert!(!content_hashed("main-0123456789ABCDEF.css"), "upper case");
        assert!(
            !content_hashed("0123456789abcdef-x/index.html"),
            "a directory's name"
        );
    }
}
