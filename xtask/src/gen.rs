//! `cargo xtask gen [--check] [--out DIR]`: generates every file under `generated/` from the integration
//! specs (`integrations::all()`) and the spec format's schema, with the `codegen` emitters
//! ([`codegen::cli::Task`], the same task a crate of integrations declared elsewhere runs). `--out` points at
//! another directory (tests use it).

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    codegen::cli::Task {
        integrations: integrations::all(),
        command: "cargo xtask gen".into(),
        root: crate::root(),
    }
    .run(args)
}
