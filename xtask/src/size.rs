//! `cargo xtask size [--monos]`: where the widget's bytes go, so every change can show its cost.
//!
//! Builds the release widget with trunk, then runs twiggy on the name-keeping wasm cargo leaves
//! before wasm-bindgen and wasm-opt (`target/wasm32-unknown-unknown/wasm-release/booking-widget.wasm`),
//! and attributes its code and data to crates, to the widget's own modules, and to serde. Ends with
//! the size of what visitors download (`dist/*.wasm`): raw, gzip -9 and brotli q11.
//!
//! The attribution is by the leading path of each function's name, so a generic instantiated
//! for a widget type (`tachys::…<booking_widget::…>`) counts for the crate that defines the code.
//! `--monos` adds twiggy's view of the largest generic instantiations.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::{capture, run, Cmd};
use crate::{project_root, target_dir, Result};

/// twiggy 0.8 (its JSON output is what `parse_top` reads).
const TWIGGY_VERSION: &str = "0.8";
/// What `cargo install --version` is given for it.
const TWIGGY_REQUIREMENT: &str = "^0.8";

pub fn size(args: &[String]) -> Result<()> {
    const USAGE: &str =
        "usage: cargo xtask size [--monos] [--wasm FILE (analyse it and its folder, no build)]";
    let (mut monos, mut wasm) = (false, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--monos" => monos = true,
            "--wasm" => wasm = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            _ => return Err(USAGE.into()),
        }
    }
    if let Some(file) = wasm {
        attribution(&file, monos)?;
        return dist_report(file.parent().unwrap_or(Path::new(".")));
    }
    crate::build_widget()?;
    attribution(&name_keeping_wasm(), monos)?;
    dist_report(&project_root().join("dist"))
}

/// The twiggy tables for the last release build (`bench` calls this after building).
pub fn last_build() -> Result<()> {
    attribution(&name_keeping_wasm(), false)
}

fn attribution(wasm: &Path, monos: bool) -> Result<()> {
    ensure_twiggy()?;
    let json = capture(
        Cmd::new("twiggy")
            .args(["top", "--format", "json", "-n", "1000000"])
            .arg(wasm),
    )?;
    let items = parse_top(&json)?;
    let summary = Summary::of(&items);
    println!("\n{} (before wasm-bindgen and wasm-opt)", wasm.display());
    summary.print();
    if monos {
        println!("\nLargest generic instantiations (twiggy monos):");
        let text = capture(
            Cmd::new("twiggy")
                .args(["monos", "-m", "25", "-n", "5"])
                .arg(wasm),
        )?;
        println!("{text}");
    }
    Ok(())
}

fn name_keeping_wasm() -> PathBuf {
    target_dir().join("wasm32-unknown-unknown/wasm-release/booking-widget.wasm")
}

fn ensure_twiggy() -> Result<()> {
    let have = capture(Cmd::new("twiggy").arg("--version")).unwrap_or_default();
    if !have.contains(&format!(" {TWIGGY_VERSION}.")) {
        eprintln!("xtask: installing twiggy {TWIGGY_VERSION} (about 2 minutes, once)");
        run(Cmd::new("cargo").args([
            "install",
            "--locked",
            "twiggy",
            "--version",
            TWIGGY_REQUIREMENT,
        ]))?;
    }
    Ok(())
}

/// One item of `twiggy top`: a function, a data segment, a section.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    name: String,
    bytes: u64,
}

/// Reads `twiggy top --format json`: a list of `{name, shallow_size, …}` (bare, or under `items`).
fn parse_top(json: &str) -> Result<Vec<Item>> {
    let value: serde_json::Value = serde_json::from_str(json)?;
    let list = value
        .as_array()
        .or_else(|| value.get("items").and_then(|v| v.as_array()))
        .ok_or("twiggy top: expected a JSON list of items")?;
    Ok(list
        .iter()
        .filter_map(|item| {
            Some(Item {
                name: item.get("name")?.as_str()?.to_owned(),
                bytes: item.get("shallow_size")?.as_u64()?,
            })
        })
        .collect())
}

/// What an item is counted as.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// A crate's code, by name.
    Crate(String),
    /// Serialization code: serde, serde_json and the derives of every crate.
    Serde,
    /// Data segments: strings, tables, constants (`.rodata` / `.data`).
    Data,
    /// Sections that wasm-opt and wasm-bindgen strip or rewrite (names, producers, debug info).
    Custom,
    /// Unnamed code, imports, exports, tables, types.
    Structure,
}

impl Part {
    fn of(name: &str) -> Part {
        if name.starts_with("data segment") || name.starts_with("data[") {
            return Part::Data;
        }
        let bindgen_only = name.contains("__wbindgen_describe")
            || name.starts_with("import __wbindgen_placeholder__");
        if name.contains("custom section") || name.ends_with("subsection") || bindgen_only {
            return Part::Custom;
        }
        if name.contains("serde") || name.contains("Deserialize") || name.contains("Serialize") {
            return Part::Serde;
        }
        match leading_crate(name) {
            Some(krate) => Part::Crate(krate),
            None => Part::Structure,
        }
    }

    fn label(&self) -> String {
        match self {
            Part::Crate(name) => name.clone(),
            Part::Serde => "serde* (serde, serde_json, every derive)".to_owned(),
            Part::Data => ".rodata/.data (strings, tables)".to_owned(),
            Part::Custom => "names, wasm-bindgen descriptors (not in dist)".to_owned(),
            Part::Structure => "unnamed code, imports, tables, types".to_owned(),
        }
    }
}

/// The crate of a function: the first path in its name, `<alloc::vec::Vec<T> as …>::drop` →
/// `alloc`, `<F as tachys::…>::invoke` → `tachys`, `core[1a2b]::fmt::…` → `core`; primitives' own
/// methods (`<char>::…`) → `core`.
fn leading_crate(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        let starts = (bytes[i].is_ascii_lowercase() || bytes[i] == b'_')
            && (i == 0 || !is_ident(bytes[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let begin = i;
        while i < bytes.len() && is_ident(bytes[i]) {
            i += 1;
        }
        let ident = &name[begin..i];
        // A crate's disambiguator: `core[c5930c85a12de822]`.
        let mut rest = &name[i..];
        if let Some(after) = rest.strip_prefix('[') {
            if let Some(end) = after.find(']') {
                rest = &after[end + 1..];
            }
        }
        if rest.starts_with("::") {
            return Some(ident.to_owned());
        }
    }
    const PRIMITIVES: [&str; 12] = [
        "<char>", "<str>", "<f64>", "<f32>", "<u8>", "<u16>", "<u32>", "<u64>", "<i32>", "<i64>",
        "<usize>", "<bool>",
    ];
    PRIMITIVES
        .iter()
        .any(|p| name.starts_with(p))
        .then(|| "core".to_owned())
}

/// The widget's own module of a `booking_widget::…` function: `steps::form`, `api`, `i18n`.
fn widget_module(name: &str) -> Option<String> {
    if leading_crate(name).as_deref() != Some("booking_widget") {
        return None;
    }
    let path = &name[name.find("booking_widget::")? + "booking_widget::".len()..];
    let segments: Vec<&str> = path.split("::").collect();
    let is_hash = |s: &str| s.len() == 17 && s.starts_with('h');
    // A module is a lower-case segment followed by more path (not by a hash or a closure).
    let modules: Vec<&str> = segments
        .windows(2)
        .take_while(|pair| {
            let (segment, next) = (pair[0], pair[1]);
            segment.starts_with(|c: char| c.is_ascii_lowercase())
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !is_hash(next)
                && !next.starts_with('{')
        })
        .map(|pair| pair[0])
        .take(2)
        .collect();
    Some(if modules.is_empty() {
        "(crate root)".to_owned()
    } else {
        modules.join("::")
    })
}

/// Groups of crates reported together (the rest are listed by name).
const GROUPS: [(&str, &[&str]); 4] = [
    (
        "leptos + reactive_graph + tachys",
        &[
            "leptos",
            "leptos_dom",
            "leptos_macro",
            "reactive_graph",
            "tachys",
            "reactive_stores",
            "any_spawner",
            "throw_error",
            "or_poisoned",
            "oco_ref",
            "either_of",
            "next_tuple",
            "hydration_context",
            "leptos_hot_reload",
            "server_fn",
            "slotmap",
            "guardian",
        ],
    ),
    (
        "core + alloc + std",
        &[
            "core",
            "alloc",
            "std",
            "hashbrown",
            "dlmalloc",
            "compiler_builtins",
            "__rustc",
        ],
    ),
    (
        "wasm-bindgen + js-sys + web-sys + gloo",
        &[
            "wasm_bindgen",
            "js_sys",
            "web_sys",
            "wasm_bindgen_futures",
            "gloo_net",
            "gloo_utils",
            "console_error_panic_hook",
            "send_wrapper",
        ],
    ),
    (
        "futures",
        &[
            "futures",
            "futures_util",
            "futures_core",
            "futures_channel",
            "futures_executor",
            "pin_project",
            "pin_project_lite",
        ],
    ),
];

struct Summary {
    total: u64,
    parts: Vec<(String, u64)>,
    crates: Vec<(String, u64)>,
    modules: Vec<(String, u64)>,
}

impl Summary {
    fn of(items: &[Item]) -> Summary {
        let mut by_part: BTreeMap<Part, u64> = BTreeMap::new();
        let mut by_module: BTreeMap<String, u64> = BTreeMap::new();
        for item in items {
            *by_part.entry(Part::of(&item.name)).or_default() += item.bytes;
            if let Some(module) = widget_module(&item.name) {
                *by_module.entry(module).or_default() += item.bytes;
            }
        }
        let total = by_part
            .iter()
            .filter(|(part, _)| **part != Part::Custom)
            .map(|(_, bytes)| bytes)
            .sum();
        let mut grouped: BTreeMap<String, u64> = BTreeMap::new();
        let mut crates = Vec::new();
        for (part, bytes) in &by_part {
            let label = match part {
                Part::Crate(name) => match GROUPS
                    .iter()
                    .find(|(_, members)| members.contains(&name.as_str()))
                {
                    Some((group, _)) => {
                        crates.push((name.clone(), *bytes));
                        group.to_string()
                    }
                    None => name.clone(),
                },
                other => other.label(),
            };
            *grouped.entry(label).or_default() += bytes;
        }
        Summary {
            total,
            parts: sorted(grouped),
            crates: sorted(crates.into_iter().collect()),
            modules: sorted(by_module),
        }
    }

    fn print(&self) {
        let row = |name: &str, bytes: u64, total: u64| {
            let share = 100.0 * bytes as f64 / total.max(1) as f64;
            println!("  {name:<52} {bytes:>9} {share:>5.1} %");
        };
        println!("  {:<52} {:>9} {:>7}", "part", "bytes", "share");
        let custom = Part::Custom.label();
        for (name, bytes) in self.parts.iter().filter(|(name, _)| *name != custom) {
            row(name, *bytes, self.total);
        }
        println!("  {:<52} {:>9}", "total (code and data)", self.total);
        for (name, bytes) in self.parts.iter().filter(|(name, _)| *name == custom) {
            println!("  {name:<52} {bytes:>9}");
        }
        println!("\n  crates inside the groups above:");
        for (name, bytes) in self.crates.iter().filter(|(_, b)| *b >= 1024) {
            row(name, *bytes, self.total);
        }
        let widget: u64 = self.modules.iter().map(|(_, b)| b).sum();
        println!("\n  booking_widget by module (its serde code is under serde*):");
        for (name, bytes) in &self.modules {
            row(&format!("booking_widget::{name}"), *bytes, widget);
        }
    }
}

fn sorted(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut list: Vec<_> = map.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

/// What visitors download: each `dist/*.wasm`, raw, gzip -9 and brotli q11.
fn dist_report(dist: &Path) -> Result<()> {
    println!(
        "\n  {:<52} {:>9} {:>9} {:>9}",
        "dist file", "bytes", "gzip -9", "br q11"
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dist)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "wasm" || e == "js" || e == "json")
        })
        .collect();
    files.sort();
    for path in files {
        let bytes = std::fs::read(&path)?;
        let (gzip, brotli) = compressed(&bytes)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        println!("  {name:<52} {:>9} {gzip:>9} {brotli:>9}", bytes.len());
    }
    Ok(())
}

/// `(gzip -9, brotli q11)` sizes of `bytes`.
fn compressed(bytes: &[u8]) -> Result<(usize, usize)> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?.len();
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut brotli, &params)?;
    Ok((gzip, brotli.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_count_for_the_crate_their_path_starts_with() {
        let krate = |name| leading_crate(name);
        assert_eq!(krate("core::fmt::write::h0123").as_deref(), Some("core"));
        assert_eq!(
            krate("<alloc::vec::Vec<T> as core::ops::drop::Drop>::drop").as_deref(),
            Some("alloc")
        );
        assert_eq!(
            krate("<F as tachys::reactive_graph::ReactiveFunction>::invoke::h1").as_deref(),
            Some("tachys")
        );
        assert_eq!(
            krate("core[c5930c85a12de822]::fmt::float::x").as_deref(),
            Some("core")
        );
        assert_eq!(krate("<char>::escape_debug_ext").as_deref(), Some("core"));
        assert_eq!(krate("elem[0]"), None);
        assert_eq!(
            Part::of("<booking_model::form::_::<impl serde::de::Deserialize for booking_model::form::FormItem>::deserialize::__Visitor as serde::de::Visitor>::visit_map"),
            Part::Serde
        );
        assert_eq!(Part::of("data segment \".rodata\""), Part::Data);
        assert_eq!(Part::of("\"function names\" subsection"), Part::Custom);
    }

    #[test]
    fn widget_functions_count_for_their_module() {
        assert_eq!(
            widget_module("booking_widget::steps::form::FormStep::{{closure}}").as_deref(),
            Some("steps::form")
        );
        assert_eq!(
            widget_module("<booking_widget::api::Api as core::clone::Clone>::clone").as_deref(),
            Some("api")
        );
        assert_eq!(
            widget_module("booking_widget::App::{{closure}}").as_deref(),
            Some("(crate root)")
        );
        assert_eq!(widget_module("tachys::view::<booking_widget::X>"), None);
    }

    #[test]
    fn reads_twiggy_json() {
        let items =
            parse_top(r#"[{"name":"data[0]","shallow_size":12,"shallow_size_percent":1.0}]"#)
                .expect("parses");
        assert_eq!(
            items,
            vec![Item {
                name: "data[0]".into(),
                bytes: 12
            }]
        );
    }
}
