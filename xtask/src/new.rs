//! `cargo xtask new <category>.<name>`: scaffolds an integration module that compiles, validates and generates,
//! with placeholders only in values.

use std::path::Path;

use crate::root;

/// The scaffold template; `{{…}}` placeholders are filled by [`render`].
pub(crate) const TEMPLATE: &str = include_str!("../templates/integration.rs.tmpl");

/// Fills the template for `key` (`category.name`); `category` must be one of the spec's categories.
pub(crate) fn render(key: &str) -> Result<(String, String), String> {
    let (category, name) = key
        .split_once('.')
        .ok_or_else(|| format!("`{key}` is not `<category>.<name>` (for example `crm.hubspot`)"))?;
    let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_name {
        return Err(format!(
            "name `{name}` must be lowercase letters, digits and `_`, starting with a letter"
        ));
    }
    let cat = <spec_core::Category as spec_core::Spelled>::from_name(category).ok_or_else(|| {
        let all: Vec<&str> = spec_core::Category::ALL.iter().map(|c| c.as_str()).collect();
        format!("unknown category `{category}`; use one of {}", all.join(", "))
    })?;
    let title = spec_core::case::pascal_case(name);
    let domain = cat.as_str();
    let text = TEMPLATE
        .replace("{{key}}", &format!("{domain}.{name}"))
        .replace("{{category}}", spec_core::Spelled::declared_name(cat))
        .replace("{{domain}}", domain)
        .replace("{{Name}}", &title)
        .replace("{{Title}}", &title)
        .replace("{{name}}", name);
    Ok((name.to_string(), text))
}

/// Writes `integrations/src/<name>.rs` and registers it in `integrations/src/lib.rs` (in `readers()`, from
/// which `all()` is read).
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let key = args.first().ok_or("usage: cargo xtask new <category>.<name>")?;
    let (name, text) = render(key)?;
    let src = root().join("integrations/src");
    let file = src.join(format!("{name}.rs"));
    if file.exists() || src.join(&name).exists() {
        return Err(format!("integration module `{name}` already exists"));
    }
    register(&src.join("lib.rs"), &name)?;
    std::fs::write(&file, text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    println!(
        "created {} and registered it in integrations::readers() and all()",
        file.display()
    );
    println!("next: fill in the TODO values, then run `cargo xtask gen` and `cargo xtask test`");
    Ok(())
}

fn register(lib: &Path, name: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
    let marker = "let mut readers = vec![";
    let at = text
        .find(marker)
        .ok_or_else(|| format!("cannot find `{marker}` in {}", lib.display()))?;
    let mut out = text.clone();
    let marker_type = spec_core::case::pascal_case(name);
    out.insert_str(
        at + marker.len(),
        &format!("ConnectionReader::of::<{name}::{marker_type}>(), "),
    );
    // Before the first module or its `#[cfg(feature = …)]`, so the new module is compiled unconditionally.
    let first_mod = out
        .lines()
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len() + 1;
            Some((start, line))
        })
        .find(|(_, line)| line.starts_with("pub mod ") || line.starts_with("#[cfg(feature"))
        .map(|(start, _)| start)
        .ok_or("cannot find the module list in integrations/src/lib.rs")?;
    out.insert_str(first_mod, &format!("pub mod {name};\n"));
    std::fs::write(lib, out).map_err(|e| format!("cannot write {}: {e}", lib.display()))
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_every_placeholder() {
        let (name, text) = render("crm.acme_crm").unwrap();
        assert_eq!(name, "acme_crm");
        assert!(!text.contains("{{"), "unfilled placeholder in:\n{text}");
        assert!(text.contains("key: \"crm.acme_crm\""));
        assert!(text.contains("pub struct AcmeCrmConfig"));
        assert!(text.contains("id: \"acme_crm.item.get\""));
    }

    #[test]
    fn hyphenated_categories_use_the_rust_spelling() {
        let (_, text) = render("ai-llm.mistral").unwrap();
        assert!(text.contains("category: ai_llm,"));
        assert!(text.contains("key: \"ai-llm.mistral\""));
    }

    /// A scaffolded module compiles, and its spec validates with schemas and examples.
    #[test]
    fn scaffold_compiles_and_validates() {
        let (_, text) = render("crm.acme").unwrap();
        let dir = crate::root().join("target/scaffold-check");
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("acme.rs");
        let main = r#"
fn main() {
    let spec = spec();
    assert_eq!(spec.meta.key, "crm.acme");
    spec_core::validate(spec).unwrap();
    assert!(spec.actions[0].input.schema["properties"]["id"].is_object());
    // The connection traits are derived: a server reads the stored secrets with the scaffold's own types.
    let reader = spec_runtime::client::ConnectionReader::of::<Acme>();
    let c = reader.read(&serde_json::json!({}), &serde_json::json!({"api_key": "k"})).unwrap();
    assert_eq!(c.auth, spec_core::AuthKind::ApiKey);
}
"#;
        std::fs::write(&file, format!("{text}\n{main}")).unwrap();
        trybuild::TestCases::new().pass(&file);
    }

    /// The new module is declared outside every integration's feature gate and listed in `all()`.
    #[test]
    fn registers_outside_feature_gates() {
        let dir = crate::root().join("target/scaffold-register");
        std::fs::create_dir_all(&dir).unwrap();
        let lib = dir.join("lib.rs");
        std::fs::copy(crate::root().join("integrations/src/lib.rs"), &lib).unwrap();
        super::register(&lib, "acme").unwrap();
        let text = std::fs::read_to_string(&lib).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let at = lines.iter().position(|l| *l == "pub mod acme;").unwrap();
        assert!(
            at == 0 || !lines[at - 1].starts_with("#["),
            "gated: {:?}",
            &lines[at.saturating_sub(1)..=at]
        );
        assert!(text.contains("= vec![ConnectionReader::of::<acme::Acme>(), "));
    }

    #[test]
    fn rejects_bad_keys() {
        assert!(render("acme").unwrap_err().contains("<category>.<name>"));
        assert!(render("fintech.acme").unwrap_err().contains("unknown category"));
        assert!(render("crm.Acme").unwrap_err().contains("lowercase"));
    }
}
