//! Slack: messages, conversations and users over the Web API, and the Events API with signed requests.

mod types;

pub use types::*;

spec_macros::define_integration! {
    /// Slack integration for posting messages, listing conversations and receiving message events.
    slack {
        meta: {
            key: "messaging.slack",
            version: "1.0.0",
            category: messaging,
            title: "Slack",
            domain: "messaging",
            owners: ["platform.messaging"],
            tags: ["chat", "messaging"],
            stability: beta,
        },
        supported_modes: [managed, byok],
        transports: [
            rest {
                base_url: "https://slack.com/api",
                body: json,
                pagination: {
                    style: cursor,
                    limit_param: "limit",
                    cursor_param: "cursor",
                    next_cursor_pointer: "/response_metadata/next_cursor",
                },
                error_pointer: "/error",
                success_pointer: "/ok",
            },
            webhook {
                inbound: {
                    signature_header: "X-Slack-Signature",
                    signing_algorithm: hmac_sha256,
                    scheme: slack,
                    tolerance: 300,
                },
            },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            oauth2 {
                grant_type: authorization_code,
                authorization_url: "https://slack.com/oauth/v2/authorize",
                token_url: "https://slack.com/api/oauth.v2.access",
                scopes: ["chat:write", "channels:read", "users:read", "app_mentions:read"],
                revocation_url: "https://slack.com/api/auth.revoke",
            },
            bearer {},
            webhook_signing {
                algorithm: hmac_sha256,
                signature_header: "X-Slack-Signature",
                timestamp_header: "X-Slack-Request-Timestamp",
                tolerance: 300,
            },
        ],
        config: SlackConfig = { team_id: "T0123456", default_channel: "C0123456" },
        secrets: SlackSecrets = { bot_token: "xoxb-***", signing_secret: "***" },
        health_check: { method: ping, timeout_ms: 5000 },
        docs_url: "https://api.slack.com/web",
        constraints: { rate_limit: { rpm: 50, rph: 3000 } },
        byok_setup: {
            setup_instructions: "Create a Slack app with the bot scopes listed, install it to the workspace, and provide its bot token and signing secret.",
            required_scopes: ["chat:write", "channels:read", "users:read"],
            key_rotation_supported: true,
            quota_tracking_supported: false,
        },
        actions: [
            /// Post a message to a channel.
            chat_post_message { id: "slack.chat.post_message", method: POST, path: "/chat.postMessage",
                                input: ChatPostMessageParams, output: ChatPostMessageResponse, mutates: true,
                                permissions: ["chat:write"] },
            /// Delete a message. A `POST` like every Web API method, so the declaration says it destroys.
            chat_delete { id: "slack.chat.delete", method: POST, path: "/chat.delete",
                          input: ChatDeleteParams, output: ChatDeleteResponse, mutates: true, destructive: true,
                          permissions: ["chat:write"] },
            /// List conversations the app can see.
            conversations_list { id: "slack.conversations.list", method: GET, path: "/conversations.list",
                                 input: ConversationsListParams, output: ConversationsListResponse, paginated: true,
                                 items_field: "channels", item: Conversation, permissions: ["channels:read"] },
            /// List the workspace's users.
            users_list { id: "slack.users.list", method: GET, path: "/users.list",
                         input: UsersListParams, output: UsersListResponse, paginated: true,
                         items_field: "members", item: SlackUser, permissions: ["users:read"] },
            /// Get a user's profile.
            users_info { id: "slack.users.info", method: GET, path: "/users.info",
                         input: UsersInfoParams, output: UsersInfoResponse, permissions: ["users:read"] },
        ],
        events: {
            prefix: "slack.",
            envelope: {
                id: { body: "/event_id" },
                type: [{ body: "/event/type" }],
                created: { body: "/event_time" },
                account: { body: "/team_id" },
                object: { body: "/event" },
                object_type: "/type",
                // Sent once when the Request URL is registered; the endpoint echoes the challenge.
                handshake: { type: { body: "/type" }, value: "url_verification", challenge: { body: "/challenge" } },
            },
            types: [
                /// A message was posted in a conversation the app is in.
                "message" => MessageEvent,
                /// The app was mentioned.
                "app_mention" => AppMentionEvent,
            ],
        },
    }
}
