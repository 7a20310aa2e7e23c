//! GitHub REST types: configuration, secrets, action inputs/outputs and webhook payloads.
//! Every output keeps the fields it does not model in `extra`: nothing the API returns is dropped.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use spec_core::Secret;
use spec_macros::{ConnectionConfig, ConnectionSecrets, DeserializeOpen};
use spec_runtime::open::Extra;

/// Non-secret configuration of a GitHub connection.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema, ConnectionConfig)]
#[serde(deny_unknown_fields)]
pub struct GithubConfig {
    /// Account (user or organization) login the connection acts for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_login: Option<String>,
    /// GitHub App installation id, when connected through an App.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installation_id: Option<u64>,
}

/// Secrets of a GitHub connection.
#[derive(Debug, Clone, Deserialize, JsonSchema, ConnectionSecrets)]
#[serde(deny_unknown_fields)]
pub struct GithubSecrets {
    /// A user access token or fine-grained personal access token.
    #[connection(bearer, oauth2)]
    pub token: Secret,
    /// Webhook secret configured on the repository, organization or App.
    #[connection(webhook_secret)]
    pub webhook_secret: Secret,
}

/// `GET /repos/{owner}/{repo}` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RepoGetParams {
    /// Account owner of the repository (case-insensitive).
    pub owner: String,
    /// Repository name without the `.git` extension.
    pub repo: String,
}

/// `GET /repos/{owner}/{repo}/issues` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueListParams {
    /// Account owner of the repository.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// `open`, `closed` or `all`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Comma-separated label names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<String>,
    /// Results per page (max 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
    /// Page number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
}

/// `POST /repos/{owner}/{repo}/issues` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueCreateParams {
    /// Account owner of the repository.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// The title of the issue.
    pub title: String,
    /// The contents of the issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Logins of users to assign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignees: Option<Vec<String>>,
    /// Labels to associate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Vec<String>>,
}

/// `POST /repos/{owner}/{repo}/issues/{issue_number}/comments` parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueCommentCreateParams {
    /// Account owner of the repository.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// The number that identifies the issue.
    pub issue_number: u64,
    /// The contents of the comment.
    pub body: String,
}

/// A GitHub user (as embedded in other objects).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct User {
    /// Login.
    pub login: String,
    /// Numeric id.
    pub id: u64,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A repository.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Repository {
    /// Numeric id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// `owner/name`.
    pub full_name: String,
    /// Whether the repository is private.
    pub private: bool,
    /// Owner.
    pub owner: User,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An issue (or pull request seen as an issue).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Issue {
    /// Numeric id.
    pub id: u64,
    /// Number within the repository.
    pub number: u64,
    /// Title.
    pub title: String,
    /// `open` or `closed`.
    pub state: String,
    /// Body.
    #[serde(default)]
    pub body: Option<String>,
    /// Author.
    pub user: Option<User>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A comment on an issue.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct IssueComment {
    /// Numeric id.
    pub id: u64,
    /// Body.
    pub body: String,
    /// Author.
    pub user: Option<User>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `issues` webhook payload.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct IssuesEvent {
    /// What happened (`opened`).
    pub action: String,
    /// The issue.
    pub issue: Issue,
    /// The repository.
    pub repository: Repository,
    /// Who did it.
    pub sender: User,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `issue_comment` webhook payload.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct IssueCommentEvent {
    /// What happened (`created`).
    pub action: String,
    /// The issue commented on.
    pub issue: Issue,
    /// The comment.
    pub comment: IssueComment,
    /// The repository.
    pub repository: Repository,
    /// Who did it.
    pub sender: User,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `push` webhook payload.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct PushEvent {
    /// Full ref pushed (`refs/heads/main`).
    #[serde(rename = "ref")]
    pub git_ref: String,
    /// Commit before the push.
    pub before: String,
    /// Commit after the push.
    pub after: String,
    /// The repository.
    pub repository: Value,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `pull_request` webhook payload.
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct PullRequestEvent {
    /// What happened (`opened`).
    pub action: String,
    /// Pull request number.
    pub number: u64,
    /// The pull request.
    pub pull_request: Value,
    /// The repository.
    pub repository: Repository,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}
