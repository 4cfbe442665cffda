//! `cargo xtask catalogues`: trunk's post-build hook (see `Trunk.toml`). Copies the content-hashed
//! UI catalogues that `build.rs` wrote to `target/i18n/` into trunk's staging `dist/`.

use crate::{project_root, Result};

pub fn copy_to_staging() -> Result<()> {
    let staging = std::env::var_os("TRUNK_STAGING_DIR").ok_or(
        "`cargo xtask catalogues` is trunk's post-build hook: TRUNK_STAGING_DIR is not set",
    )?;
    let source = project_root().join("target/i18n");
    let entries = std::fs::read_dir(&source)
        .map_err(|e| format!("{}: {e} (built by the widget's build.rs)", source.display()))?;
    for entry in entries {
        let path = entry?.path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, std::path::Path::new(&staging).join(name))?;
        }
    }
    Ok(())
}
