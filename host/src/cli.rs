//! The command line of `integration-host`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// One server for every integration: projects, connections, durable webhook ingestion and the event log.
#[derive(Debug, Parser)]
#[command(name = "integration-host", version)]
pub struct Cli {
    /// The database: `sqlite://PATH` (created and migrated at start) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://integration-host.db",
        global = true
    )]
    pub database_url: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serves the HTTP API (sealing key from HOST_SEAL_KEY, HOST_SEAL_KEY_ID).
    Serve(ServeArgs),
    /// Serves MCP on standard input and output for one project: its connections' actions as tools, its events
    /// as resources (sealing key as for `serve`).
    Mcp(McpArgs),
    /// Manages projects.
    #[command(subcommand)]
    Project(ProjectCommand),
    /// Re-seals every connection's secrets under the current key (old keys in HOST_SEAL_OLD_KEYS=id:base64,…).
    Reseal,
    /// Writes the host's OpenAPI document.
    Openapi {
        /// Where to write it (`-` for standard output).
        #[arg(long, default_value = "generated/host/openapi.json")]
        out: PathBuf,
    },
}

/// Project commands.
#[derive(Debug, Subcommand)]
pub enum ProjectCommand {
    /// Creates a project and prints its id and API key (shown once; only its hash is stored).
    Create {
        /// The project's name.
        name: String,
        /// Where the OAuth connect flow sends the browser back.
        #[arg(long)]
        return_url: Option<String>,
    },
}

/// Options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HOST_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Webhook deliveries accepted per second per connection.
    #[arg(long, env = "HOST_INGEST_RATE", default_value_t = 100)]
    pub ingest_rate: u32,
    /// Deliveries accepted at once per connection above the rate.
    #[arg(long, env = "HOST_INGEST_BURST", default_value_t = 200)]
    pub ingest_burst: u32,
    /// Largest request body, in bytes.
    #[arg(long, env = "HOST_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
    /// Seconds a request may take.
    #[arg(long, env = "HOST_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,
    /// Seconds a client has to send a request's head.
    #[arg(long, env = "HOST_HEADER_READ_TIMEOUT", default_value_t = 10)]
    pub header_read_timeout: u64,
    /// A directory of JSON integration specs to serve beside the compiled ones (validated at start).
    #[arg(long, env = "HOST_SPECS_DIR")]
    pub specs_dir: Option<PathBuf>,
    /// A provider's API base URL for health checks, `provider=URL` (a local Stripe: `stripe=http://127.0.0.1:8420`).
    #[arg(long = "api-base-url", value_parser = parse_pair)]
    pub api_base_urls: Vec<(String, String)>,
    /// Delays before the retries of a failed delivery, then it is dead (`5s,5m,30m,2h,5h,10h,10h`).
    #[arg(long, env = "HOST_DELIVERY_SCHEDULE", default_value = "5s,5m,30m,2h,5h,10h,10h",
          value_parser = parse_schedule)]
    pub delivery_schedule: Schedule,
    /// Time an outbound delivery may take in all (`15s`).
    #[arg(long, env = "HOST_DELIVERY_TIMEOUT", default_value = "15s", value_parser = host::outbox::schedule::parse_duration)]
    pub delivery_timeout: std::time::Duration,
    /// Time to connect to a delivery target (`5s`).
    #[arg(long, env = "HOST_DELIVERY_CONNECT_TIMEOUT", default_value = "5s", value_parser = host::outbox::schedule::parse_duration)]
    pub delivery_connect_timeout: std::time::Duration,
    /// How long a claimed delivery stays with its host process (longer than the delivery timeout) (`60s`).
    #[arg(long, env = "HOST_DELIVERY_LEASE", default_value = "60s", value_parser = host::outbox::schedule::parse_duration)]
    pub delivery_lease: std::time::Duration,
    /// A trigger whose endpoint failed every attempt for this long is disabled (`5d`).
    #[arg(long, env = "HOST_TRIGGER_DISABLE_AFTER", default_value = "5d", value_parser = host::outbox::schedule::parse_duration)]
    pub trigger_disable_after: std::time::Duration,
    /// A `Host` value the MCP route accepts (`host` or `host:port`; repeat or separate with commas). None
    /// given: any, since every MCP request carries the project's bearer key.
    #[arg(long = "mcp-allowed-host", env = "HOST_MCP_ALLOWED_HOSTS", value_delimiter = ',')]
    pub mcp_allowed_hosts: Vec<String>,
}

/// Options of `mcp`.
#[derive(Debug, clap::Args)]
pub struct McpArgs {
    /// The key of the project to serve (`integration-host project create` prints it).
    #[arg(long, env = "HOST_PROJECT_KEY", hide_env_values = true, value_parser = parse_key)]
    pub project_key: ProjectKey,
    /// A directory of JSON integration specs to serve beside the compiled ones (validated at start).
    #[arg(long, env = "HOST_SPECS_DIR")]
    pub specs_dir: Option<PathBuf>,
    /// A provider's API base URL, `provider=URL` (a local Stripe: `stripe=http://127.0.0.1:8420`).
    #[arg(long = "api-base-url", value_parser = parse_pair)]
    pub api_base_urls: Vec<(String, String)>,
}

/// A project key; never shown.
#[derive(Clone)]
pub struct ProjectKey(pub String);

impl std::fmt::Debug for ProjectKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProjectKey(..)")
    }
}

/// A retry schedule given on the command line.
#[derive(Debug, Clone)]
pub struct Schedule(pub Vec<std::time::Duration>);

fn parse_schedule(s: &str) -> Result<Schedule, String> {
    host::outbox::schedule::parse_schedule(s).map(Schedule)
}

fn parse_key(s: &str) -> Result<ProjectKey, String> {
    Ok(ProjectKey(s.to_string()))
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    s.split_once('=')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .ok_or_else(|| "expected provider=URL".to_string())
}
