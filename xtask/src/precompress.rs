//! The built widget's precompressed forms: `x.br` (brotli, quality 11) and `x.gz` (gzip -9) beside each
//! text or wasm file of `dist/`, made once per build so the server never compresses per request. The
//! server makes the ones missing (a widget built by trunk directly) itself at start; the list of
//! extensions matches `crates/server/src/routes/site/encoding.rs`.

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use crate::Result;

const COMPRESSIBLE: [&str; 11] = [
    "html", "js", "mjs", "css", "wasm", "json", "map", "svg", "txt", "ts", "xml",
];

/// Writes the missing or stale `.br` / `.gz` files under `dist`.
pub fn precompress(dist: &Path) -> Result<()> {
    let started = Instant::now();
    let mut written = 0;
    for path in files(dist)? {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        for (suffix, compress) in [("br", brotli as fn(&[u8]) -> _), ("gz", gzip)] {
            let mut sidecar = path.clone().into_os_string();
            sidecar.push(format!(".{suffix}"));
            if is_fresh(&path, Path::new(&sidecar)) {
                continue;
            }
            std::fs::write(&sidecar, compress(&bytes)?)?;
            written += 1;
        }
    }
    eprintln!(
        "xtask: {written} precompressed widget files written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            found.extend(files(&entry.path())?);
        } else {
            found.push(entry.path());
        }
    }
    Ok(found)
}

/// Whether `sidecar` exists and is not older than `original` (the server applies the same rule).
fn is_fresh(original: &Path, sidecar: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(original), modified(sidecar)), (Some(o), Some(s)) if s >= o)
}

fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
}
