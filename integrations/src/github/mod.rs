//! GitHub: repositories, issues and comments over the REST API, with signed webhooks.
//!
//! Key `developer.github`, category `project-management`: of the catalogue's categories, GitHub's issues and pull
//! requests are project-management work; the key's domain names what the platform files it under (developer tools).

mod types;

pub use types::*;

spec_macros::define_integration! {
    /// GitHub integration for repositories, issues, comments and pull-request events.
    github {
        meta: {
            key: "developer.github",
            version: "1.0.0",
            category: project_management,
            title: "GitHub",
            domain: "developer",
            owners: ["platform.devtools"],
            tags: ["git", "issues", "devtools"],
            stability: beta,
        },
        supported_modes: [managed, byok],
        transports: [
            rest {
                base_url: "https://api.github.com",
                api_version_header: "X-GitHub-Api-Version",
                body: json,
                default_headers: { "Accept": "application/vnd.github+json" },
                pagination: { style: link_header, limit_param: "per_page" },
                rate_limit_headers: { remaining: "X-RateLimit-Remaining", reset: "X-RateLimit-Reset", limit: "X-RateLimit-Limit" },
            },
            webhook {
                inbound: { signature_header: "X-Hub-Signature-256", signing_algorithm: hmac_sha256, scheme: github },
            },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            oauth2 {
                grant_type: authorization_code,
                authorization_url: "https://github.com/login/oauth/authorize",
                token_url: "https://github.com/login/oauth/access_token",
                scopes: ["repo"],
            },
            bearer {},
            webhook_signing { algorithm: hmac_sha256, signature_header: "X-Hub-Signature-256" },
        ],
        version_policy: {
            current_version: "2022-11-28",
            supported_versions: [{ version: "2022-11-28", status: stable, released_at: "2022-11-28" }],
            version_header: "X-GitHub-Api-Version",
        },
        config: GithubConfig = { account_login: "octo-org", installation_id: 123456 },
        secrets: GithubSecrets = { token: "ghu_***", webhook_secret: "***" },
        health_check: { method: ping, timeout_ms: 5000 },
        docs_url: "https://docs.github.com/en/rest",
        constraints: { rate_limit: { rpm: 80, rph: 5000 } },
        byok_setup: {
            setup_instructions: "Create a fine-grained personal access token with Issues read and write on the repositories to connect, and a webhook secret.",
            required_scopes: ["issues:write", "metadata:read"],
            key_rotation_supported: true,
            quota_tracking_supported: true,
        },
        actions: [
            /// Get a repository.
            repo_get { id: "github.repo.get", method: GET, path: "/repos/{owner}/{repo}",
                       input: RepoGetParams, output: Repository, permissions: ["metadata:read"] },
            /// List issues in a repository (pull requests included, as GitHub returns them).
            issue_list { id: "github.issue.list", method: GET, path: "/repos/{owner}/{repo}/issues",
                         input: IssueListParams, output: Vec<Issue>, paginated: true, permissions: ["issues:read"] },
            /// Create an issue.
            issue_create { id: "github.issue.create", method: POST, path: "/repos/{owner}/{repo}/issues",
                           input: IssueCreateParams, output: Issue, mutates: true, permissions: ["issues:write"] },
            /// Comment on an issue or pull request.
            issue_comment_create { id: "github.issue_comment.create", method: POST,
                                   path: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                                   input: IssueCommentCreateParams, output: IssueComment, mutates: true,
                                   permissions: ["issues:write"] },
        ],
        events: {
            prefix: "github.",
            envelope: {
                id: { header: "X-GitHub-Delivery" },
                type: [{ header: "X-GitHub-Event" }, { body: "/action" }],
                account: { body: "/installation/id" },
                previous_attributes: { body: "/changes" },
            },
            types: [
                /// An issue was opened.
                "issues.opened" => IssuesEvent,
                /// A comment was created on an issue or pull request.
                "issue_comment.created" => IssueCommentEvent,
                /// Commits were pushed.
                "push" => PushEvent,
                /// A pull request was opened.
                "pull_request.opened" => PullRequestEvent,
            ],
        },
    }
}
