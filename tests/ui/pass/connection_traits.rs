// Derived connection traits feed a client builder: every auth method the secrets mark, the account the config
// marks, the webhook secret, basic credentials with an optional password.
use spec_core::{AuthKind, Secret};
use spec_runtime::client::{ConnectionConfig, ConnectionSecrets, Credential};

#[derive(spec_macros::ConnectionSecrets)]
struct KeySecrets {
    #[connection(api_key, header)]
    api_key: Secret,
    #[connection(webhook_secret)]
    webhook_secret: Secret,
}

#[derive(spec_macros::ConnectionSecrets)]
struct BasicSecrets {
    #[connection(basic)]
    user: Secret,
    #[connection(basic_password)]
    password: Option<Secret>,
}

#[derive(spec_macros::ConnectionConfig)]
struct Config {
    #[connection(account)]
    account: String,
}

#[derive(spec_macros::ConnectionConfig)]
struct NoAccount {
    _region: Option<String>,
}

fn main() {
    let k = KeySecrets { api_key: Secret::new("k"), webhook_secret: Secret::new("w") };
    assert_eq!(k.credential(AuthKind::ApiKey), Some(Credential::api_key("k")));
    assert_eq!(k.credential(AuthKind::Header), Some(Credential::api_key("k")));
    assert_eq!(k.credential(AuthKind::Bearer), None);
    assert_eq!(k.webhook_secret(), Some(Secret::new("w")));
    let b = BasicSecrets { user: Secret::new("u"), password: None };
    assert_eq!(b.credential(AuthKind::Basic), Some(Credential::basic("u", None)));
    assert_eq!(b.webhook_secret(), None);
    assert_eq!(Config { account: "acct_1".into() }.account_id(), Some("acct_1"));
    assert_eq!(NoAccount { _region: None }.account_id(), None);
}
