use serde::Serialize;

macro_rules! error_codes {
    ($($(#[$m:meta])* $variant:ident = $code:literal,)+) => {
        /// Stable identifiers of validation rules; each code names one rule.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum ErrorCode {
            $($(#[$m])* #[serde(rename = $code)] $variant,)+
        }
        impl ErrorCode {
            /// Every code.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];
            /// The stable code string (`E_CURRENT_VERSION_UNSUPPORTED`).
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code,)+ }
            }
        }
    };
}

error_codes! {
    /// `meta.key` is not `domain.name` in lowercase.
    KeyPattern = "E_KEY_PATTERN",
    /// A version that must be semver is not.
    Semver = "E_SEMVER",
    /// A required text is empty.
    Empty = "E_EMPTY",
    /// A list holds the same value twice.
    Duplicate = "E_DUPLICATE",
    /// An API key format is unusable: an empty prefix, one prefix shadowing another, or a minimum body
    /// length without prefixes.
    ApiKeyFormat = "E_API_KEY_FORMAT",
    /// A URL does not parse, or is not https (loopback excepted).
    Url = "E_URL",
    /// `preferred_transport` is not among `transports`.
    PreferredTransportUndeclared = "E_PREFERRED_TRANSPORT_UNDECLARED",
    /// Two transports have the same type.
    DuplicateTransport = "E_DUPLICATE_TRANSPORT",
    /// `current_version` is not in `supported_versions`.
    CurrentVersionUnsupported = "E_CURRENT_VERSION_UNSUPPORTED",
    /// `current_version` is sunset.
    CurrentVersionSunset = "E_CURRENT_VERSION_SUNSET",
    /// The version placement is ambiguous or inconsistent with the REST transport.
    VersionPlacement = "E_VERSION_PLACEMENT",
    /// A date is not `YYYY-MM-DD`.
    Date = "E_DATE",
    /// A webhook transport has no matching webhook-signing auth method, or the reverse.
    WebhookSigningMismatch = "E_WEBHOOK_SIGNING_MISMATCH",
    /// A webhook signature layout is unusable: an unknown placeholder, a signed timestamp that does not
    /// travel (or one that travels unsigned), a tolerance without a timestamp, an algorithm the layout
    /// cannot carry.
    WebhookSignatureLayout = "E_WEBHOOK_SIGNATURE_LAYOUT",
    /// `byok_setup` is declared without the `byok` mode.
    ByokSetupWithoutByok = "E_BYOK_SETUP_WITHOUT_BYOK",
    /// A rate limit is zero, or `rph < rpm`.
    RateLimit = "E_RATE_LIMIT",
    /// An action id lacks the provider prefix or is malformed.
    ActionIdPrefix = "E_ACTION_ID_PREFIX",
    /// A method name is not a snake_case Rust identifier.
    MethodName = "E_METHOD_NAME",
    /// An action path is malformed.
    ActionPath = "E_ACTION_PATH",
    /// A path parameter is not a property of the action's input.
    PathParamMissing = "E_PATH_PARAM_MISSING",
    /// An action's flags contradict each other or its HTTP method.
    ActionFlags = "E_ACTION_FLAGS",
    /// An event type is malformed or the prefix is wrong.
    EventType = "E_EVENT_TYPE",
    /// An example does not satisfy its schema.
    ExampleInvalid = "E_EXAMPLE_INVALID",
    /// An auth method is incomplete or contradictory.
    AuthMethod = "E_AUTH_METHOD",
    /// A number that must be positive is zero.
    NotPositive = "E_NOT_POSITIVE",
    /// A reference names something that is not declared.
    UnknownReference = "E_UNKNOWN_REFERENCE",
    /// A required list is empty.
    EmptyList = "E_EMPTY_LIST",
    /// A JSON pointer is neither empty nor starts with `/`.
    Pointer = "E_POINTER",
    /// A header name is empty or holds characters HTTP does not allow in one.
    HeaderName = "E_HEADER_NAME",
    /// An oauth2 `revocation` is incomplete: an account deauthorization without `account_param` or
    /// `account_id_field`, or a declared revocation without `revocation_url`.
    OAuthRevocation = "E_OAUTH_REVOCATION",
    /// An oauth2 scope implication is empty or names a scope twice.
    OAuthScopeImplication = "E_OAUTH_SCOPE_IMPLICATION",
    /// An oauth2 `deauthorized_event` is empty or not one of the declared event types.
    OAuthDeauthorizedEvent = "E_OAUTH_DEAUTHORIZED_EVENT",
    /// An oauth2 `default_token_lifetime` is zero.
    OAuthTokenLifetime = "E_OAUTH_TOKEN_LIFETIME",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule: a stable code, the path of the offending field and what to change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{code} at `{path}`: {message}")]
pub struct SpecError {
    /// Which rule.
    pub code: ErrorCode,
    /// Dotted path of the offending field (`version_policy.current_version`, `actions[2].path`).
    pub path: String,
    /// What is wrong and what to change.
    pub message: String,
}

impl SpecError {
    /// A new error.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            path: path.into(),
            message: message.into(),
        }
    }
}
