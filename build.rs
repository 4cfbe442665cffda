//! The UI catalogues: `i18n/<lang>.json` is the one source of every visible string.
//!
//! - English is compiled in (`$OUT_DIR/catalogues.rs`: `const EN: Strings`).
//! - Each other language becomes a content-hashed file, `target/i18n/i18n-<lang>-<16 hex>.json`,
//!   which trunk's post-build hook copies into `dist/` (cached immutable by the server); the wasm
//!   knows each file's name from the generated `CATALOGUE_FILES`, and loads only the visitor's.
//! - Every catalogue must have exactly English's keys, with as many `{}` in each template: a
//!   missing or stray translation fails the build.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Languages other than English, in `Lang` order.
const OTHERS: [(&str, &str); 6] = [
    ("fr", "Fr"),
    ("de", "De"),
    ("es", "Es"),
    ("pt", "Pt"),
    ("nl", "Nl"),
    ("it", "It"),
];

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let source = manifest.join("i18n");
    println!("cargo:rerun-if-changed=i18n");
    let english = read(&source.join("en.json"));
    let keys: Vec<&String> = english.iter().map(|(k, _)| k).collect();

    // Written where the default target directory is, whatever CARGO_TARGET_DIR says: the trunk
    // hook finds it from the project root.
    let out = manifest.join("target/i18n");
    std::fs::create_dir_all(&out).expect("create target/i18n");
    let mut files = String::new();
    let mut written = Vec::new();
    for (code, variant) in OTHERS {
        let path = source.join(format!("{code}.json"));
        let catalogue = read(&path);
        check(&english, &catalogue, &path);
        // Compact JSON of the same key order: what the browser downloads.
        let json = compact(&catalogue);
        let name = format!("i18n-{code}-{:016x}.json", fnv1a(json.as_bytes()));
        let file = out.join(&name);
        if std::fs::read_to_string(&file).ok().as_deref() != Some(json.as_str()) {
            std::fs::write(&file, &json).expect("write catalogue");
        }
        // A deleted output makes cargo run this script again.
        println!("cargo:rerun-if-changed={}", file.display());
        let _ = writeln!(files, "    (Lang::{variant}, \"{name}\"),");
        written.push(name);
    }
    // Old versions would be copied into dist/ too.
    for entry in std::fs::read_dir(&out).expect("list target/i18n").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !written.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }

    let mut code = String::from("/// English, built in.\nconst EN: Strings = Strings {\n");
    for (key, value) in &english {
        let _ = writeln!(code, "    {key}: {value:?},");
    }
    code.push_str("};\n\n/// Each other language's file in `dist/`, named by its content.\n");
    let _ = writeln!(
        code,
        "pub(crate) const CATALOGUE_FILES: [(Lang, &str); {}] = [\n{files}];\n",
        OTHERS.len()
    );
    // Looked up in a loop and moved in by position: one small function, whatever the count.
    let _ = writeln!(
        code,
        "/// Every key, in the order of [`strings_from`]'s values.\n\
         const KEYS: [&str; {n}] = {keys:?};\n\n\
         /// A catalogue from the texts of [`KEYS`], in order.\n\
         fn strings_from(texts: [&'static str; {n}]) -> Strings {{\n    \
         let [{names}] = texts;\n    Strings {{ {names} }}\n}}",
        n = keys.len(),
        names = keys
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    );
    let generated = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(generated.join("catalogues.rs"), code).expect("write catalogues.rs");
}

/// A catalogue as `(key, text)` in file order.
fn read(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{}: not a JSON object of strings: {e}", path.display()));
    map.into_iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(text) => (key, text),
            other => panic!("{}: {key} must be a string, not {other}", path.display()),
        })
        .collect()
}

fn check(english: &[(String, String)], catalogue: &[(String, String)], path: &Path) {
    let theirs: BTreeMap<&str, &str> = catalogue
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    for (key, text) in english {
        let Some(translated) = theirs.get(key.as_str()) else {
            panic!("{}: missing {key:?}", path.display());
        };
        let holes = |s: &str| s.matches("{}").count();
        assert_eq!(
            holes(text),
            holes(translated),
            "{}: {key:?} must have as many {{}} as English",
            path.display()
        );
    }
    for (key, _) in catalogue {
        assert!(
            english.iter().any(|(k, _)| k == key),
            "{}: {key:?} is not an English key",
            path.display()
        );
    }
}

fn compact(catalogue: &[(String, String)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = catalogue
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::to_string(&map).expect("strings serialize")
}

/// 64-bit FNV-1a: a stable content hash for file names (not for security).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
