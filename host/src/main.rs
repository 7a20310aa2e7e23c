//! `integration-host`: serves every integration in `integrations::all()`.

mod cli;

use std::num::NonZeroU32;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser as _;
use host::state::{AppState, Settings};
use host::store::Store;
use spec_runtime::deploy::ProcessEnv;

use cli::{Cli, Command, McpArgs, ProjectCommand, ServeArgs};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("integration-host: {e}");
            ExitCode::FAILURE
        }
    }
}

fn nonzero(name: &str, v: u32) -> Result<NonZeroU32, String> {
    NonZeroU32::new(v).ok_or_else(|| format!("{name} must be at least 1"))
}

async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Openapi { out } => {
            let text = host::openapi::render().map_err(|e| e.to_string())?;
            if out.as_os_str() == "-" {
                print!("{text}");
            } else {
                if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
                std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
                println!("wrote {}", out.display());
            }
            Ok(())
        }
        Command::Project(ProjectCommand::Create { name, return_url }) => {
            let store = open(&cli.database_url).await?;
            let created = host::server::create_project(&store, &name, return_url)
                .await
                .map_err(|e| e.to_string())?;
            println!("project: {}", created.id);
            println!("api key: {}", created.key);
            println!("(the key is shown once; only its hash is stored)");
            store.close().await;
            Ok(())
        }
        Command::Reseal => {
            let sealer = host::config::sealer_from_env().map_err(|e| e.to_string())?;
            let store = open(&cli.database_url).await?;
            let report = host::server::reseal(&store, &sealer).await.map_err(|e| e.to_string())?;
            println!(
                "re-sealed {} connection(s) under key `{}`; {} already under it",
                report.resealed,
                sealer.current_key_id(),
                report.current
            );
            store.close().await;
            Ok(())
        }
        Command::Serve(args) => serve(&cli.database_url, args).await,
        Command::Mcp(args) => mcp(&cli.database_url, args).await,
    }
}

async fn mcp(database_url: &str, args: McpArgs) -> Result<(), String> {
    let sealer = host::config::sealer_from_env().map_err(|e| e.to_string())?;
    let mut specs = integrations::all();
    if let Some(dir) = &args.specs_dir {
        let loaded = host::specs::load_dir(dir, &specs).map_err(|e| format!("--specs-dir / HOST_SPECS_DIR: {e}"))?;
        specs.extend(loaded);
    }
    let providers = host::providers::load(&specs, &ProcessEnv).map_err(|e| e.to_string())?;
    let settings = Settings {
        api_base_urls: args.api_base_urls.into_iter().collect(),
        ..Settings::default()
    };
    let store = open(database_url).await?;
    let state = AppState::new(store.clone(), sealer, providers, settings);
    let served = host::mcp::stdio::serve(state, &args.project_key.0)
        .await
        .map_err(|e| e.to_string());
    store.close().await;
    served
}

async fn open(url: &str) -> Result<Store, String> {
    Store::open(url)
        .await
        .map_err(|e| format!("DATABASE_URL / --database-url: {e}"))
}

async fn serve(database_url: &str, args: ServeArgs) -> Result<(), String> {
    let sealer = host::config::sealer_from_env().map_err(|e| e.to_string())?;
    let mut specs = integrations::all();
    if let Some(dir) = &args.specs_dir {
        let loaded = host::specs::load_dir(dir, &specs).map_err(|e| format!("--specs-dir / HOST_SPECS_DIR: {e}"))?;
        specs.extend(loaded);
    }
    let providers = host::providers::load(&specs, &ProcessEnv).map_err(|e| e.to_string())?;
    let settings = Settings {
        ingest_rate_per_sec: nonzero("--ingest-rate / HOST_INGEST_RATE", args.ingest_rate)?,
        ingest_burst: nonzero("--ingest-burst / HOST_INGEST_BURST", args.ingest_burst)?,
        max_body_bytes: args.max_body_bytes,
        request_timeout: Duration::from_secs(args.request_timeout),
        header_read_timeout: Duration::from_secs(args.header_read_timeout),
        api_base_urls: args.api_base_urls.into_iter().collect(),
        outbox: host::outbox::OutboxSettings {
            schedule: args.delivery_schedule.0,
            timeout: args.delivery_timeout,
            connect_timeout: args.delivery_connect_timeout,
            lease: args.delivery_lease,
            disable_after: args.trigger_disable_after,
            ..host::outbox::OutboxSettings::default()
        },
        mcp_allowed_hosts: args.mcp_allowed_hosts,
        ..Settings::default()
    };
    let store = open(database_url).await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {} (--listen / HOST_LISTEN): {e}", args.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    for (id, p) in &providers {
        if p.spec.webhook().is_some() && p.platform_verifier.is_none() {
            tracing::info!(
                provider = %id,
                "platform webhook endpoint off: set {} to enable it",
                p.deploy.var_name("WEBHOOK_SECRET")
            );
        }
    }
    let served: Vec<String> = providers.keys().cloned().collect();
    let state = AppState::new(store.clone(), sealer, providers, settings);
    println!(
        "integration-host listening on http://{addr} ({:?} database; serving {})",
        store.engine(),
        served.join(", ")
    );
    println!("create a project: integration-host project create NAME   (cargo run -p host -- project create NAME)");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    host::server::serve(listener, state, shutdown)
        .await
        .map_err(|e| e.to_string())?;
    store.close().await;
    Ok(())
}
