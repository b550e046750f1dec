/** Generated from the service's /openapi.json by client/generate.ts (`npm run client:generate`): do not edit. */
export interface paths {
    "/2/dm_conversations/with/{participant_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a Direct Message to a user
         * @description Creates the 1:1 conversation if needed (its id is `<lowId>-<highId>`) and sends, as the token's user through the token's app, when the active policy admits it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    participant_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["XMessage"];
                };
            };
            responses: {
                /** @description Sent (or delivered to the recipient's message requests: see `dm_policy.delivery`) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["XDmSendResult"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Refused by the policy (`detail` names the rule and reason), an app-only token (Unsupported Authentication), or a missing dm.write scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description No such conversation */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Limited by the policy (`Retry-After`; `x-rate-limit-*` are the R12 windows) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description The database stayed locked (another writer): nothing was recorded; send the same request again after `Retry-After` seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/2/dm_conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a group conversation and send its first message
         * @description Decided per invited participant (the most severe outcome wins); a refusal lists each refused participant in `errors`. Answers the new conversation's numeric id.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["XNewGroupConversation"];
                };
            };
            responses: {
                /** @description Sent (or delivered to the recipient's message requests: see `dm_policy.delivery`) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["XDmSendResult"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Refused by the policy (`detail` names the rule and reason), an app-only token (Unsupported Authentication), or a missing dm.write scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description No such conversation */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Limited by the policy (`Retry-After`; `x-rate-limit-*` are the R12 windows) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description The database stayed locked (another writer): nothing was recorded; send the same request again after `Retry-After` seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/2/dm_conversations/{dm_conversation_id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a Direct Message in a conversation
         * @description A 1:1 id (`<id>-<id>`, the token's user one of them) sends to the other user; a group's id sends to the group, which the policy requires the user to be part of.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    dm_conversation_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["XMessage"];
                };
            };
            responses: {
                /** @description Sent (or delivered to the recipient's message requests: see `dm_policy.delivery`) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["XDmSendResult"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Refused by the policy (`detail` names the rule and reason), an app-only token (Unsupported Authentication), or a missing dm.write scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description No such conversation */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Limited by the policy (`Retry-After`; `x-rate-limit-*` are the R12 windows) */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description The database stayed locked (another writer): nothing was recorded; send the same request again after `Retry-After` seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/2/dm_events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the user's DM events
         * @description Every message the token's user sent or received, in 1:1 conversations and in the groups they are part of.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Events per page (1–100, default 100) */
                    max_results?: number;
                    /** @description A `next_token` or `previous_token` of an earlier page */
                    pagination_token?: string;
                    /** @description Which events; only MessageCreate events are recorded, so the others select none */
                    event_types?: string;
                    /** @description Accepted; every event carries all the fields the service has (id, event_type, text, created_at, sender_id, dm_conversation_id) */
                    "dm_event.fields"?: string;
                    /** @description Accepted and ignored: no includes are served */
                    expansions?: string;
                    /** @description Accepted and ignored */
                    "user.fields"?: string;
                    /** @description Accepted and ignored */
                    "media.fields"?: string;
                    /** @description Accepted and ignored */
                    "tweet.fields"?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of events, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["XDmEventPage"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description An app-only token, a missing dm.read scope, or a conversation the user is not part of */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description No such conversation */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/2/dm_conversations/with/{participant_id}/dm_events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the DM events of a 1:1 conversation
         * @description The messages between the token's user and `participant_id`, both ways.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Events per page (1–100, default 100) */
                    max_results?: number;
                    /** @description A `next_token` or `previous_token` of an earlier page */
                    pagination_token?: string;
                    /** @description Which events; only MessageCreate events are recorded, so the others select none */
                    event_types?: string;
                    /** @description Accepted; every event carries all the fields the service has (id, event_type, text, created_at, sender_id, dm_conversation_id) */
                    "dm_event.fields"?: string;
                    /** @description Accepted and ignored: no includes are served */
                    expansions?: string;
                    /** @description Accepted and ignored */
                    "user.fields"?: string;
                    /** @description Accepted and ignored */
                    "media.fields"?: string;
                    /** @description Accepted and ignored */
                    "tweet.fields"?: string;
                };
                header?: never;
                path: {
                    participant_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of events, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["XDmEventPage"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description An app-only token, a missing dm.read scope, or a conversation the user is not part of */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description No such conversation */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/2/dm_conversations/{dm_conversation_id}/dm_events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the DM events of a conversation
         * @description A 1:1 conversation the token's user is one end of, or a group they are part of.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Events per page (1–100, default 100) */
                    max_results?: number;
                    /** @description A `next_token` or `previous_token` of an earlier page */
                    pagination_token?: string;
                    /** @description Which events; only MessageCreate events are recorded, so the others select none */
                    event_types?: string;
                    /** @description Accepted; every event carries all the fields the service has (id, event_type, text, created_at, sender_id, dm_conversation_id) */
                    "dm_event.fields"?: string;
                    /** @description Accepted and ignored: no includes are served */
                    expansions?: string;
                    /** @description Accepted and ignored */
                    "user.fields"?: string;
                    /** @description Accepted and ignored */
                    "media.fields"?: string;
                    /** @description Accepted and ignored */
                    "tweet.fields"?: string;
                };
                header?: never;
                path: {
                    dm_conversation_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of events, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["XDmEventPage"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description An app-only token, a missing dm.read scope, or a conversation the user is not part of */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
                /** @description No such conversation */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["XProblem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sends": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide and record a send
         * @description Decides by the active policy version and, when the send is delivered, records it (it counts) before answering. A retry with the same idempotencyKey within a day returns the first answer; after a day the key is a new send.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SendRequest"];
                };
            };
            responses: {
                /** @description The decision — every outcome, deny and limit included, is a 200 */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Decision"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The idempotency key was used for a different request */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body larger than 64 KiB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The database stayed locked (another writer): nothing was recorded; send the same request again after Retry-After seconds */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sends/check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide only (dry run)
         * @description Decides without recording anything. `facts` may override stored facts for a what-if simulation; `trace: true` returns every rule, condition and fact value.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SendRequest"];
                };
            };
            responses: {
                /** @description The decision — every outcome, deny and limit included, is a 200 */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Decision"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The idempotency key was used for a different request */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body larger than 64 KiB */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an account
         * @description An account that was never PUT exists with the defaults: not verified, not protected, not suspended, inbox `following`.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The account */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Account"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Create or update an account
         * @description Sets any of the fields; the others keep their value (or the defaults, for a new account).
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["AccountFields"];
                };
            };
            responses: {
                /** @description The account, whole */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Account"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/following/{otherId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Follow
         * @description `id` follows `otherId` (R3: the follow gate asks whether the recipient follows the sender). Idempotent.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    otherId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Following"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Unfollow
         * @description Idempotent: removing an edge that does not exist succeeds.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    otherId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Following"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/blocks/{otherId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Block
         * @description `id` blocks `otherId` (R1: a block in either direction denies). Idempotent.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    otherId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Block"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Unblock
         * @description Idempotent: removing an edge that does not exist succeeds.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    otherId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Block"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/reports/{otherId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Report
         * @description `id` reports `otherId` (R7). Reporting again moves the report to now. Idempotent.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    otherId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Report"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/accepted/{otherId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Accept a message request
         * @description `id` accepts `otherId`'s message request (R6); it then counts as a prior conversation (R5). Idempotent.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    otherId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AcceptedRequest"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/welcome-shown/{businessId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Record a welcome message shown
         * @description `id` was shown business `businessId`'s welcome message. Recorded, but it grants no permission (R8). Idempotent.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    businessId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WelcomeShown"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/app-grants/{appId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Grant an app DM permission
         * @description `id` lets app `appId` send direct messages on its behalf (R13). Idempotent.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppGrant"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        /**
         * Revoke an app grant
         * @description Idempotent: removing an edge that does not exist succeeds.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The edge */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppGrant"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Bulk-load accounts and edges (NDJSON)
         * @description Loads accounts and edges from newline-delimited JSON, one object per line:
         *
         *     | type | fields | meaning |
         *     |---|---|---|
         *     | `account` | `id`, any of `verified`, `phoneVerified`, `protected`, `suspended`, `inbox` | like PUT /v1/accounts/{id}: fields left out keep their value |
         *     | `follow` | `from`, `to` | `from` follows `to` |
         *     | `block` | `from`, `to` | `from` blocks `to` |
         *     | `report` | `from`, `to` | `from` reports `to` |
         *     | `accepted` | `from`, `to` | `from` accepts `to`'s message request |
         *     | `welcome_shown` | `from`, `to` | `from` was shown business `to`'s welcome message (grants nothing) |
         *     | `app_grant` | `account`, `app` | `account` lets `app` send DMs for it |
         *
         *     Blank lines are ignored. The import is all or nothing: the first invalid line (line numbers are
         *     1-based) refuses the whole body with a 400 whose path names it, e.g. `line 17.to`, and nothing is
         *     applied. Bodies up to 2 GiB, lines up to 64 KiB characters. The
         *     body is streamed, never held whole: it is received and checked first, staged on the server's disk
         *     while decisions and other writes go on, and only then applied, in one write transaction that other
         *     writes wait for. A body that stalls for 30 s is abandoned (408) and nothing is applied.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/x-ndjson": string;
                };
            };
            responses: {
                /** @description Every line was applied */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ImportResult"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The body stalled */
                408: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Body larger than 2147483648 bytes */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Content type other than application/x-ndjson */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in an operator
         * @description Sets the `dmp_session` cookie (HttpOnly, SameSite=Strict, 12 h) and returns the CSRF token that every state change made with the cookie must carry in `X-CSRF-Token`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["Login"];
                };
            };
            responses: {
                /** @description Signed in */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown username, wrong password or disabled operator (one answer for all three) */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Too many failed sign-ins for this username from this address (5 in 15 minutes) or from this address (20); `Retry-After` says when to try again */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Ends the session of the `dmp_session` cookie and clears the cookie. With a bearer token it does nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Signed out */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is calling
         * @description The caller's identity, role and scopes; for a session also its CSRF token (so a reloaded dashboard can recover it).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The caller */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Me"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List operators */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every operator */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            operators: components["schemas"]["Operator"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /** Create an operator */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewOperator"];
                };
            };
            responses: {
                /** @description The operator */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Operator"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The username is taken */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/operators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an operator
         * @description Changes the role, disables (or re-enables) the operator, or sets a new password. Disabling or a new password ends the operator's other sessions. The last enabled admin cannot be demoted or disabled.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["OperatorChange"];
                };
            };
            responses: {
                /** @description The operator, changed */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Operator"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No operator with this id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The change would leave no enabled admin */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/operators/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset an operator's password
         * @description Sets a new random password, returned in this answer only, and ends the operator's sessions (the admin's own stays when they reset their own). Audited.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The operator and the new password, shown once */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PasswordReset"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No operator with this id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List bearer tokens
         * @description Names, scopes and status; secrets are never shown again after creation.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every token, revoked ones included */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tokens: components["schemas"]["Token"][];
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a bearer token
         * @description The secret is in this answer only; only a hash of it is stored. A token with `appId` and `userId` acts for that user through that app on the X API v2 endpoints (`/2/…`, scopes `dm.write`, `dm.read`); one with `appId` alone is app-only, which those endpoints refuse as X does.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewToken"];
                };
            };
            responses: {
                /** @description The token and its secret, shown once */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["CreatedToken"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a bearer token
         * @description Idempotent. The token stops working on this instance at once, on other instances within 5 seconds (their lookups are cached that long).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The token, revoked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Token"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No token with this id */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Probe the dashboard session
         * @description The signed-in operator and the CSRF token of the session cookie, or `signedIn: false`; never a 401.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The session, or none */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SessionProbe"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List versions
         * @description Every version of the policy, oldest first, with its status (draft, active, retired), author, origin, and approval.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The versions */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VersionList"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a draft
         * @description Copies any version (document and policy tests) into a new draft, named `<from>-draft-<n>` unless `version` names it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["CreateDraft"];
                };
            };
            responses: {
                /** @description The draft */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VersionDetail"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A version with that name exists (`version_exists`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a version
         * @description The document, its policy tests and its lifecycle metadata.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The version */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VersionDetail"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a draft
         * @description Deletes a draft (audited, with the reason). Published versions are kept for rollback (409 `immutable_version`); a draft running as an experiment's arm is kept until the experiment stops (409 `draft_in_experiment`).
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * @description Why: kept in the audit log.
                         * @example raise the cap for the holiday campaign
                         */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DeletedDraft"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Published, or an arm of the running experiment */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Edit a draft
         * @description Changes parameter values (each within its min and max), rules, named conditions, the default, the description or the tests. The resulting document must pass validation, else 400 naming the path in the body and nothing is saved; a `__proto__`, `constructor` or `prototype` key anywhere in the body is a 400 `invalid_name`. Editing clears the approval. Published versions are immutable (409 `immutable_version`).
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DraftEdit"];
                };
            };
            responses: {
                /** @description The edited draft */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VersionDetail"];
                    };
                };
                /** @description The edit is refused; `errors` lists every problem with its path */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["EditError"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The version is published (`immutable_version`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/policies/{policy}/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the policy's settings
         * @description Whether publishing needs a second person's approval, and who last changed that.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PolicySettings"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        /**
         * Change the policy's settings
         * @description An admin turns approval on or off: with `requireApproval`, a draft is published only after a publisher or admin who neither wrote nor edited it approved it. Audited with the reason.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PolicySettingsChange"];
                };
            };
            responses: {
                /** @description The settings */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PolicySettings"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions/{version}/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Validate a version, or an edit to it
         * @description Without a body: checks the stored document and tests. With an edit (the PATCH body): checks what the edit would produce, saving nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["DraftEdit"];
                };
            };
            responses: {
                /** @description Every problem found, with its path */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ValidationReport"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions/{version}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run policy tests
         * @description Runs the version's policy tests (or the `tests` given, without saving them) through json-rules-engine and the compiled evaluator: each test's expected decision and reason against what each got, and every parameter-relative fact value as resolved.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @description Tests to run instead of the stored ones (nothing is saved). */
                        tests?: unknown[];
                    };
                };
            };
            responses: {
                /** @description The report */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PolicyTestReport"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/diff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Diff two versions
         * @description Parameters (value and definition), rules by name (added, removed, or the fields that changed), named conditions, default, description, and the policy tests (added, removed, changed, and whether there are fewer). `from` defaults to the active version.
         */
        get: {
            parameters: {
                query: {
                    /** @description Default: the active version. */
                    from?: string;
                    to: string;
                };
                header?: never;
                path: {
                    policy: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The differences */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VersionDiff"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions/{version}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve a draft
         * @description A second person's approval: neither the author nor anyone who edited the draft may give it (409 `self_approval`). Editing the draft clears it.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * @description Why: kept in the audit log.
                         * @example raise the cap for the holiday campaign
                         */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description The approved draft */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["VersionDetail"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Self-approval, or not a draft */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions/{version}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish a draft
         * @description Refused (409) without a second person's approval when the policy requires it or the draft has fewer policy tests than its origin (`approval_required`), without policy tests (`no_policy_tests`), when the compiled evaluator decides a test otherwise than json-rules-engine (`evaluators_disagree`), or when a test fails (`policy_tests_failed`); `failures` lists the tests. Then, atomically, the active version is retired and the draft becomes active: the next decision uses it, none sees a half state.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /**
                         * @description Why: kept in the audit log.
                         * @example raise the cap for the holiday campaign
                         */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Published */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PublishResult"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not a draft, not approved, no tests, evaluators disagree, or a policy test fails (`failures`) */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["PolicyTestsFailed"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Roll back
         * @description Re-activates a version that was published before, atomically (unknown: 404 `unknown_version`; a draft: 409 `not_published`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description A version published before (now retired).
                         * @example x-2023
                         */
                        version: string;
                        /**
                         * @description Why: kept in the audit log.
                         * @example raise the cap for the holiday campaign
                         */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Rolled back */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["RollbackResult"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description A draft, or already active */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Query the audit log
         * @description Every change — draft created or edited (with the diff), approval, publish, rollback, and the other domains' changes — newest first, in pages. Times are ISO-8601.
         */
        get: {
            parameters: {
                query?: {
                    policy?: string;
                    actor?: string;
                    action?: string;
                    /** @description Entries about this policy version: its draft created and edited, approved, published, rolled back to. */
                    version?: string;
                    /** @description Entries at or after this time. */
                    from?: string;
                    /** @description Entries at or before this time. */
                    to?: string;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The entries, newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuditPage"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/facets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who and what the audit log holds
         * @description The distinct actors and actions of the log, for a filter to offer.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Actors and actions, sorted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AuditFacets"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Search the decision log
         * @description Enforced decisions, newest first, filtered by account (as sender, recipient or either), period, outcome, reason, deciding rule, kind, channel, version and arm. Pages are resumed with `cursor`; each entry appears exactly once across pages.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Entries where this account is the sender or one of the recipients */
                    account?: string;
                    /** @description Entries sent by this account */
                    sender?: string;
                    /** @description Entries where this account is one of the recipients */
                    recipient?: string;
                    /** @description Entries at or after this time */
                    from?: string;
                    /** @description Entries before this time */
                    to?: string;
                    /** @description Only this outcome */
                    decision?: "allow" | "request" | "deny" | "limit";
                    /** @description Only this reason, e.g. `daily_limit` */
                    reason?: string;
                    /** @description Only decisions this rule decided, e.g. `daily-cap` */
                    rule?: string;
                    /** @description Only this kind of send */
                    kind?: "direct" | "group_create" | "group_message" | "group_invite";
                    /** @description Only sends from this channel */
                    channel?: "web" | "app" | "api" | "sms";
                    /** @description Only decisions of this policy version */
                    version?: string;
                    /** @description Only decisions of this experiment arm */
                    arm?: string;
                    /** @description The `nextCursor` of the previous page */
                    cursor?: string;
                    /** @description Entries per page (1–500, default 50) */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One page of entries */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DecisionLogPage"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One logged decision
         * @description The entry with the request it answered (without the text, which is never stored) and the facts each subject was decided on.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The entry */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DecisionLogEntry"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such entry */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/{id}/explain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Re-explain a logged decision
         * @description Evaluates the logged facts of each subject again with the version that decided, with the trace: every rule, every condition, the fact values seen, matched or not. `reproduced` says whether the result equals the logged decision; it always does for a published version, a draft may have changed since.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The trace per subject */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DecisionExplanation"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such entry */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The version that decided is no longer stored */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/prune": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prune old decisions
         * @description Deletes, in one transaction, the entries logged more than `olderThanDays` days ago, the shadow decisions beside them and the per-minute tallies wholly before that time. Audited as `decision_log.prune`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DecisionLogPrune"];
                };
            };
            responses: {
                /** @description What was deleted */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DecisionLogPruned"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/figures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live figures
         * @description Enforced decisions per minute, hour or day by outcome (every bucket present, zero-filled), the top reasons and the totals, read from per-minute tallies: cheap at any log size. At most 2000 buckets.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Start of the period (default: 60 minutes before `to`), rounded down to its bucket */
                    from?: string;
                    /** @description End of the period, exclusive (default: the end of the current bucket) */
                    to?: string;
                    /** @description Bucket size (UTC-aligned); at most 2000 buckets */
                    bucket?: "minute" | "hour" | "day";
                    /** @description Only decisions of this policy version */
                    version?: string;
                    /** @description Only decisions of this experiment arm (empty: decisions outside experiments) */
                    arm?: string;
                    /** @description How many top reasons (default 10) */
                    top?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The figures of the period */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DecisionFigures"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/backtests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List backtests
         * @description Newest first, with status and progress; reports are read one job at a time.
         */
        get: {
            parameters: {
                query?: {
                    status?: "queued" | "running" | "done" | "cancelled" | "failed";
                    kind?: "replay" | "blast_radius" | "sweep";
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The jobs */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BacktestList"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Start a backtest
         * @description Replays logged send attempts in time order through a candidate version with its own counters, in the background. `replay` covers [from, to) (default: the 24 h before now); `blast_radius` the last 24 h; `sweep` runs one replay per value of one numeric parameter. The 24 h before the window are replayed first as they really were decided, for counting only. Answers at once with the job; follow it with GET /backtests/{id}.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewBacktest"];
                };
            };
            responses: {
                /** @description The job, queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BacktestCreated"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{policy}/versions/{version}/blast-radius": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview the blast radius of a version
         * @description Starts a `blast_radius` backtest: the version replayed over the last 24 h, reporting how many senders flip from allow or request to limit or deny, and back. The preview to run before publishing a draft.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    policy: string;
                    version: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job, queued */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BacktestCreated"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such policy or version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/backtests/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One backtest
         * @description Its status, progress (attempts read of attempts to read, warm-up included) and, once done, its report.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Backtest"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such backtest */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/backtests/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a backtest
         * @description A queued job never starts; a running one stops at its next check. Its report is not kept.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job, cancelled */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Backtest"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such backtest */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The job has already finished */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List experiments */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Experiment"][];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Start an experiment
         * @description Senders are assigned to enforced arms by hashing salt and sender id (stable across restarts and instances); shadow arms decide beside them and are only logged. One experiment runs per policy at a time.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewExperiment"];
                };
            };
            responses: {
                /** @description Started */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Experiment"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Another experiment is running */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/experiments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One experiment */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The experiment */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Experiment"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown experiment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/experiments/{id}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop an experiment
         * @description Decisions go back to the active version at once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Stopped */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Experiment"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown experiment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Not running */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/experiments/{id}/figures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per-arm figures
         * @description Decision mix and reasons per arm; for shadow arms, where they disagree with the enforced decision.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One entry per arm */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ArmFigures"][];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Unknown experiment */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/counters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An account's counters
         * @description What the limits count for this sender now, by the active version, and its exemptions.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Counters */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AccountCounters"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/counters/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset an account's counters
         * @description Sends of the last 24 h stop counting toward the daily cap (they stay delivered); API requests, duplicate fingerprints and the cooldown are cleared. Audited.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description What was reset */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sendsUncounted: number;
                            apiRequestsCleared: number;
                            fingerprintsCleared: number;
                            cooldownCleared: boolean;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/exemptions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exempt an account from a rule
         * @description The rule may still match for this sender but never decides, until the exemption expires or is revoked. Audited.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["NewExemption"];
                };
            };
            responses: {
                /** @description Granted */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Exemption"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/{id}/exemptions/{exemptionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an exemption */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    exemptionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Revoked */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            revoked: true;
                        };
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such active exemption */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/simulations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decide a send by a chosen version (dry run)
         * @description What POST /v1/sends/check answers, decided by `version` instead of the active one (and outside any experiment). Records nothing; `send.facts` override stored facts; `send.trace: true` returns every rule, condition and fact value.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["Simulation"];
                };
            };
            responses: {
                /** @description The decision */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Decision"];
                    };
                };
                /** @description Malformed request */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description Missing or unknown bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description The token lacks the required scope */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
                /** @description No such version */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Error"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        XDmSendResult: {
            data: {
                dm_conversation_id: string;
                dm_event_id: string;
            };
            dm_policy: components["schemas"]["XDmPolicyDecision"];
        };
        XDmPolicyDecision: {
            /** @enum {string} */
            decision: "allow" | "request" | "deny" | "limit";
            /** @example reply_window */
            reason: string;
            rule: string | null;
            policy: {
                name: string;
                version: string;
                arm: string | null;
            };
            /**
             * @description `message_requests`: the recipient gets it as a message request (an outcome `request`); null for a refusal
             * @enum {string|null}
             */
            delivery: "conversation" | "message_requests" | null;
            /** @description R10, the daily send cap after this send: a reply inside the reply window (R11) leaves `used` as it was */
            daily: {
                limit: number;
                used: number;
                remaining: number;
                resets_at: string | null;
            } | null;
            retry_after_seconds: number | null;
        };
        XProblem: {
            /** @example urn:dm-policy:refusal:recipient_not_following */
            type: string;
            /** @example Forbidden */
            title: string;
            detail: string;
            status: number;
            errors: ({
                title: string;
                detail: string;
                type: string;
            } & {
                [key: string]: unknown;
            })[];
            dm_policy?: components["schemas"]["XDmPolicyDecision"];
        };
        /**
         * @example {
         *       "text": "Hello!"
         *     }
         */
        XMessage: {
            text?: string;
            attachments?: {
                media_id: string;
            }[];
        };
        XNewGroupConversation: {
            /** @enum {string} */
            conversation_type: "Group";
            /** @description The other participants (2–49); the token's user is the creator */
            participant_ids: string[];
            message: components["schemas"]["XMessage"];
        };
        XDmEventPage: {
            /** @description Absent when the page is empty, as X serves it */
            data?: components["schemas"]["XDmEvent"][];
            meta: {
                result_count: number;
                next_token?: string;
                previous_token?: string;
            };
        };
        XDmEvent: {
            id: string;
            /** @enum {string} */
            event_type: "MessageCreate";
            /**
             * @description Always empty: dm-policy never stores message text (see text_length)
             * @enum {string}
             */
            text: "";
            /** @description The text's length in Unicode code points */
            text_length: number;
            created_at: string;
            sender_id: string;
            dm_conversation_id: string;
        };
        Decision: {
            /** @enum {string} */
            decision: "allow" | "request" | "deny" | "limit";
            /** @example daily_limit */
            reason: string;
            /** @description The deciding rule; null when the policy default decided. */
            rule: string | null;
            policy: {
                name: string;
                version: string;
                arm: string | null;
            };
            /** @description For `limit`: seconds until a retry can succeed. */
            retryAfterSeconds: number | null;
            quota: {
                daily?: components["schemas"]["Quota"];
                apiUser15m?: components["schemas"]["Quota"] & unknown;
                apiUser24h?: components["schemas"]["Quota"] & unknown;
                apiApp24h?: components["schemas"]["Quota"] & unknown;
            };
            recipients: {
                id: string;
                /** @enum {string} */
                decision: "allow" | "request" | "deny" | "limit";
                reason: string;
                rule: string | null;
            }[];
            conversationId: string | null;
            sendId: string | null;
            trace: {
                recipientId: string | null;
                facts: {
                    [key: string]: unknown;
                };
                rules: components["schemas"]["RuleTrace"][];
            }[] | null;
        };
        Quota: {
            limit: number;
            used: number;
            remaining: number;
            resetsAt: string | null;
        };
        RuleTrace: {
            rule: string;
            family: string;
            priority: number;
            matched: boolean;
            /** @description The sender is exempted from this rule by an operator: it may match but does not decide */
            exempt?: boolean;
            event: {
                /** @enum {string} */
                type: "allow" | "request" | "deny" | "limit";
                params: {
                    [key: string]: unknown;
                };
            };
            conditions: components["schemas"]["ConditionTrace"];
        };
        /** @description A rule's condition tree as evaluated: a comparison (`fact`, `operator`, `value`, with the fact value seen, `factResult`, and its `result`) or a group (`all`, `any`, `not`, `condition`). */
        ConditionTrace: {
            fact?: string;
            path?: string;
            operator?: string;
            /** @description What the fact was compared against: a literal, or a `{ fact, path }` reference (a parameter) */
            value?: unknown;
            /** @description The fact value seen; absent when the comparison was not evaluated */
            factResult?: unknown;
            /** @description The comparison's result; absent when it was not evaluated */
            result?: boolean;
            all?: components["schemas"]["ConditionTrace"][];
            any?: components["schemas"]["ConditionTrace"][];
            not?: components["schemas"]["ConditionTrace"];
            /** @description A reference to a named condition of the version */
            condition?: string;
            name?: string;
            priority?: number;
        };
        Error: {
            error: {
                /** @example invalid_request */
                code: string;
                message: string;
                /** @example body.recipientIds[0] */
                path: string | null;
            };
        };
        SendRequest: {
            /** @example u1 */
            senderId: string;
            /** @default [] */
            recipientIds?: string[];
            /**
             * @default direct
             * @enum {string}
             */
            kind?: "direct" | "group_create" | "group_message" | "group_invite";
            conversationId?: string;
            /** @default  */
            text?: string;
            /**
             * @default web
             * @enum {string}
             */
            channel?: "web" | "app" | "api" | "sms";
            /** @example u1 */
            appId?: string;
            /** @default [] */
            media?: {
                id: string;
                fromConversationId?: string;
                /** @default false */
                shareable?: boolean;
            }[];
            idempotencyKey?: string;
            /** @default false */
            trace?: boolean;
            /**
             * @example {
             *       "relation": {
             *         "recipientFollowsSender": true
             *       }
             *     }
             */
            facts?: {
                [key: string]: {
                    [key: string]: string | number | boolean;
                };
            };
        };
        Account: {
            /** @example u1 */
            id: string;
            verified: boolean;
            phoneVerified: boolean;
            protected: boolean;
            suspended: boolean;
            /** @enum {string} */
            inbox: "everyone" | "following" | "verified";
        };
        /** @description Any of the fields; the ones left out keep their value */
        AccountFields: {
            verified?: boolean;
            phoneVerified?: boolean;
            protected?: boolean;
            suspended?: boolean;
            /**
             * @description Who may message this account directly (R4); protected accounts follow it too
             * @enum {string}
             */
            inbox?: "everyone" | "following" | "verified";
        };
        Following: {
            /** @example u1 */
            follower: string;
            /** @example u1 */
            followee: string;
            following: boolean;
        };
        Block: {
            /** @example u1 */
            blocker: string;
            /** @example u1 */
            blocked: string;
            blocking: boolean;
        };
        Report: {
            /** @example u1 */
            reporter: string;
            /** @example u1 */
            reported: string;
            /** Format: date-time */
            reportedAt: string;
        };
        AcceptedRequest: {
            /** @example u1 */
            recipient: string;
            /** @example u1 */
            sender: string;
            accepted: boolean;
        };
        WelcomeShown: {
            /** @example u1 */
            account: string;
            /** @example u1 */
            business: string;
            welcomeShown: boolean;
        };
        AppGrant: {
            /** @example u1 */
            account: string;
            /** @example u1 */
            app: string;
            granted: boolean;
        };
        ImportResult: {
            /** @description Lines imported, by type */
            imported: {
                accounts: number;
                follows: number;
                blocks: number;
                reports: number;
                accepted: number;
                welcomeShown: number;
                appGrants: number;
            };
            /** @description Lines read, blank ones included */
            lines: number;
        };
        Session: {
            operator: components["schemas"]["OperatorSummary"];
            csrfToken: string;
        };
        OperatorSummary: {
            id: string;
            username: string;
            /**
             * @description viewer (read) < editor (drafts) < publisher (publish, rollback, experiments) < admin (operators, tokens)
             * @enum {string}
             */
            role: "viewer" | "editor" | "publisher" | "admin";
        };
        Login: {
            username: string;
            password: string;
        };
        Me: {
            /** @enum {string} */
            kind: "token" | "operator";
            name: string;
            /**
             * @description viewer (read) < editor (drafts) < publisher (publish, rollback, experiments) < admin (operators, tokens)
             * @enum {string|null}
             */
            role: "viewer" | "editor" | "publisher" | "admin" | null;
            scopes: ("decide" | "graph" | "admin" | "metrics" | "dm.write" | "dm.read")[];
            operator: components["schemas"]["OperatorSummary"] & (Record<string, never> | null);
            csrfToken: string | null;
        };
        Operator: components["schemas"]["OperatorSummary"] & {
            disabled: boolean;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            disabledAt: string | null;
        };
        NewOperator: {
            /** @example alice */
            username: string;
            password: string;
            /**
             * @description viewer (read) < editor (drafts) < publisher (publish, rollback, experiments) < admin (operators, tokens)
             * @enum {string}
             */
            role: "viewer" | "editor" | "publisher" | "admin";
        };
        OperatorChange: {
            /**
             * @description viewer (read) < editor (drafts) < publisher (publish, rollback, experiments) < admin (operators, tokens)
             * @enum {string}
             */
            role?: "viewer" | "editor" | "publisher" | "admin";
            disabled?: boolean;
            password?: string;
        };
        PasswordReset: {
            operator: components["schemas"]["Operator"];
            password: string;
        };
        Token: {
            id: string;
            name: string;
            scopes: ("decide" | "graph" | "admin" | "metrics" | "dm.write" | "dm.read")[];
            /** @description The user the token acts for on the X API v2 surface; null for a service or app-only token */
            userId: string | null;
            /** @description The app the token belongs to; null for a service token */
            appId: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            revokedAt: string | null;
        };
        CreatedToken: {
            token: components["schemas"]["Token"];
            secret: string;
        };
        NewToken: {
            /** @example messaging-backend */
            name: string;
            scopes: ("decide" | "graph" | "admin" | "metrics" | "dm.write" | "dm.read")[];
            /**
             * @description The user the token acts for (X API v2 user context); needs appId
             * @example 1146654567674912769
             */
            userId?: string;
            /**
             * @description The app the token belongs to; without userId the token is app-only
             * @example app7
             */
            appId?: string;
        };
        SessionProbe: {
            signedIn: boolean;
            operator: {
                id: string;
                username: string;
                /** @enum {string} */
                role: "viewer" | "editor" | "publisher" | "admin";
            } | null;
            /** @description The session's token for `X-CSRF-Token`, so a reloaded dashboard can recover it */
            csrfToken: string | null;
        };
        VersionList: {
            policy: string;
            active: string | null;
            versions: components["schemas"]["VersionSummary"][];
        };
        VersionSummary: {
            policy: string;
            version: string;
            /** @enum {string} */
            status: "draft" | "active" | "retired";
            description: string;
            /** @description Who created it: `preset` for the shipped presets, else the operator or `token:<name>`. */
            author: string;
            /** @description The version it was drafted from. */
            basedOn: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string | null;
            /**
             * Format: date-time
             * @description When it was first published; null for a draft.
             */
            publishedAt: string | null;
            approvedBy: string | null;
            /** Format: date-time */
            approvedAt: string | null;
            /** @description Why the approver approved, as they wrote it. */
            approvalReason: string | null;
            approval: components["schemas"]["Approval"];
            testCount: number;
        };
        /** @description For a draft: whether publishing it needs approval, why, and who may give it; null for a published version. */
        Approval: {
            required: boolean;
            /** @description `policy_setting`: an admin requires approval for the policy; `fewer_tests`: the draft has fewer policy tests than the version it came from. */
            causes: ("policy_setting" | "fewer_tests")[];
            /** @enum {string} */
            status: "not_required" | "pending" | "approved";
            /** @description Enabled publishers and admins who neither wrote nor edited the draft. */
            approvers: string[];
        } | null;
        VersionDetail: components["schemas"]["VersionSummary"] & {
            document: components["schemas"]["PolicyDocument"];
            tests: components["schemas"]["PolicyTest"][];
        };
        /** @description A policy document: see rules/policy.schema.json and DESIGN §3. */
        PolicyDocument: {
            name: string;
            version: string;
            description: string;
            source: string[];
            parameters: {
                [key: string]: {
                    /** @enum {string} */
                    type: "number";
                    value: number;
                    min: number;
                    max: number;
                    integer?: boolean;
                    unit: string;
                    description: string;
                } | {
                    /** @enum {string} */
                    type: "boolean";
                    value: boolean;
                    description: string;
                } | {
                    /** @enum {string} */
                    type: "enum";
                    value: string;
                    options: string[];
                    description: string;
                };
            };
            default: {
                /** @enum {string} */
                type: "allow" | "request" | "deny";
                params: {
                    reason: string;
                    /** @enum {string} */
                    limit?: "daily" | "apiUser15m" | "apiUser24h" | "apiApp24h" | "cooldown";
                    countsTowardDailyLimit?: boolean;
                };
            };
            conditions?: {
                [key: string]: unknown;
            };
            rules: {
                name: string;
                family: string;
                description: string;
                priority: number;
                conditions?: unknown;
                event: {
                    /** @enum {string} */
                    type: "allow" | "request" | "deny" | "limit";
                    params: {
                        reason: string;
                        /** @enum {string} */
                        limit?: "daily" | "apiUser15m" | "apiUser24h" | "apiApp24h" | "cooldown";
                        countsTowardDailyLimit?: boolean;
                    };
                };
            }[];
        };
        PolicyTest: {
            name: string;
            /** @description The seed sentence the test checks, quoted, and what it sets up. */
            description: string;
            /** @description Fact members that differ from the neutral send, e.g. { "quota": { "dailyUsed": { "param": "dailyLimit", "offset": -1 } } }; `params` overrides parameter values (literals only). */
            facts?: {
                [key: string]: {
                    [key: string]: string | number | boolean | components["schemas"]["RelativeFactValue"];
                };
            };
            request?: {
                /** @enum {string} */
                kind?: "direct" | "group_create" | "group_message" | "group_invite";
                /** @enum {string} */
                channel?: "web" | "app" | "api" | "sms";
            };
            expect: {
                /** @enum {string} */
                decision: "allow" | "request" | "deny" | "limit";
                reason: string;
                /** @description The deciding rule, when the test pins it (null: the default decided). */
                rule?: string | null;
            };
        };
        /** @description The value of a number parameter of the version plus `offset` (default 0), resolved before the test runs, e.g. { "param": "dailyLimit", "offset": -1 }: a boundary that moves with its threshold. */
        RelativeFactValue: {
            param: string;
            offset?: number;
        };
        CreateDraft: {
            /**
             * @description The version to copy (any status).
             * @example x-2023
             */
            from: string;
            /**
             * @description The new version's name; default `<from>-draft-<n>`.
             * @example x-2023
             */
            version?: string;
            /** @description What the draft is for; default the copied version's description. */
            description?: string;
            /**
             * @description Why: kept in the audit log.
             * @example raise the cap for the holiday campaign
             */
            reason?: string;
        };
        EditError: {
            error: {
                /** @example invalid_request */
                code: string;
                message: string;
                /** @example body.recipientIds[0] */
                path: string | null;
                errors?: {
                    path: string;
                    message: string;
                    code: string;
                }[];
            };
        };
        DraftEdit: {
            /**
             * @description By name: a new value (checked against the parameter's type, min and max), a whole definition (adds or redefines a parameter), or null (removes it).
             * @example {
             *       "dailyLimit": 600
             *     }
             */
            parameters?: {
                [key: string]: number | boolean | string | {
                    [key: string]: unknown;
                } | null;
            };
            /** @description The whole rules array. */
            rules?: unknown[];
            /** @description The named conditions, whole; null removes them. */
            conditions?: {
                [key: string]: unknown;
            } | null;
            description?: string;
            source?: string[];
            /** @description The decision when no rule matches. */
            default?: unknown;
            /** @description The version's policy tests, whole. */
            tests?: unknown[];
            /**
             * @description Why: kept in the audit log.
             * @example raise the cap for the holiday campaign
             */
            reason?: string;
        };
        DeletedDraft: {
            deleted: string;
        };
        PolicySettings: {
            policy: string;
            /** @description Publishing a draft needs the approval of a publisher or admin who neither wrote nor edited it. */
            requireApproval: boolean;
            updatedBy: string | null;
            /** Format: date-time */
            updatedAt: string | null;
        };
        PolicySettingsChange: {
            requireApproval: boolean;
            /**
             * @description Why: kept in the audit log.
             * @example raise the cap for the holiday campaign
             */
            reason?: string;
        };
        ValidationReport: {
            ok: boolean;
            errors: {
                path: string;
                message: string;
                code?: string;
            }[];
        };
        PolicyTestReport: {
            version: string;
            total: number;
            passed: number;
            failed: number;
            /** @description Tests the compiled evaluator decided otherwise than json-rules-engine: publishing is refused while any does. */
            disagreements: number;
            results: components["schemas"]["PolicyTestResult"][];
        };
        PolicyTestResult: {
            name: string;
            description: string;
            /** @description The expected decision was reached, and both evaluators agree. */
            passed: boolean;
            expected: {
                decision: string;
                reason: string;
                rule?: string | null;
            };
            /** @description What json-rules-engine (the reference evaluator) decided. */
            got: {
                decision: string;
                reason: string;
                rule: string | null;
            };
            /** @description What the compiled evaluator, which enforces the version, decided. */
            compiled: {
                decision: string;
                reason: string;
                rule: string | null;
            };
            agree: boolean;
            /** @description Each fact value given relative to a parameter, as resolved for this run. */
            resolved: {
                fact: string;
                param: string;
                offset: number;
                value: number;
            }[];
            error?: string;
            compiledError?: string;
        };
        VersionDiff: {
            from: string;
            to: string;
            changed: boolean;
            description: {
                from: string;
                to: string;
            } | null;
            source: {
                from: string[];
                to: string[];
            } | null;
            default: {
                from?: unknown;
                to?: unknown;
            } | null;
            parameters: {
                name: string;
                /** @enum {string} */
                change: "added" | "removed" | "changed";
                from: number | boolean | string | null;
                to: number | boolean | string | null;
                fields: string[];
                definition?: {
                    from?: unknown;
                    to?: unknown;
                };
            }[];
            conditions: {
                name: string;
                /** @enum {string} */
                change: "added" | "removed" | "changed";
                from?: unknown;
                to?: unknown;
            }[];
            rules: {
                name: string;
                /** @enum {string} */
                change: "added" | "removed" | "changed";
                fields: ("priority" | "event" | "conditions" | "description" | "family" | "position")[];
                from?: unknown;
                to?: unknown;
            }[];
            /** @description The policy tests by name, and how many each side has. */
            tests: {
                from: number;
                to: number;
                added: string[];
                removed: string[];
                changed: string[];
                /** @description The later version has fewer policy tests: publishing it needs a second person's approval. */
                fewer: boolean;
            };
        };
        PublishResult: {
            version: components["schemas"]["VersionSummary"];
            /** @description The version that was active before. */
            previous: string | null;
            tests: {
                total: number;
                passed: number;
            };
        };
        PolicyTestsFailed: {
            error: {
                /** @example invalid_request */
                code: string;
                message: string;
                /** @example body.recipientIds[0] */
                path: string | null;
                failures?: components["schemas"]["PolicyTestResult"][];
            };
        };
        RollbackResult: {
            version: components["schemas"]["VersionSummary"];
            previous: string | null;
        };
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            /** @description Pass as `cursor` for the next page; null on the last one */
            nextCursor: string | null;
        };
        AuditEntry: {
            id: string;
            /** Format: date-time */
            at: string;
            /** @description The operator, or `token:<name>` for a service token. */
            actor: string;
            /** @example version.publish */
            action: string;
            policy: string | null;
            /** @description What changed: a version, an experiment, a token… */
            subject: string | null;
            /** @description What changed, structured (for versions: the diff of GET /policies/{policy}/diff). */
            diff?: unknown;
            reason: string | null;
            /**
             * @description The ids of this entry (its subject, an exemption in its diff) with the names operators know them by: an operator's username, a token's or an experiment's name.
             * @example {
             *       "operator:8c1e…": "alice"
             *     }
             */
            names: {
                [key: string]: string;
            };
        };
        AuditFacets: {
            actors: string[];
            actions: string[];
        };
        DecisionLogPage: {
            items: components["schemas"]["DecisionLogSummary"][];
            /** @description Pass as `cursor` for the next page; null on the last one */
            nextCursor: string | null;
            index: components["schemas"]["IndexFreshness"];
        };
        DecisionLogSummary: {
            id: string;
            /** @example 2026-03-02T10:00:00.000Z */
            at: string;
            sender: string;
            recipients: string[];
            /** @enum {string} */
            kind: "direct" | "group_create" | "group_message" | "group_invite";
            /** @enum {string} */
            channel: "web" | "app" | "api" | "sms";
            /** @enum {string} */
            decision: "allow" | "request" | "deny" | "limit";
            reason: string | null;
            /** @description The deciding rule; null when the policy default decided */
            rule: string | null;
            policy: string;
            version: string;
            experimentId: string | null;
            arm: string | null;
            /** @description Length of the message in code points: the text itself is never stored */
            textLength: number;
            /** @description Fingerprint of the normalised text; null for an empty text */
            textFingerprint: string | null;
            /** @description The recorded send, when the decision delivered it */
            sendId: string | null;
        };
        IndexFreshness: {
            /** @description Every log entry up to this sequence number is indexed */
            indexedThrough: number;
            /** @description Entries recorded since, not indexed yet (a search still finds them; figures count them once indexed) */
            pending: number;
        };
        DecisionLogEntry: components["schemas"]["DecisionLogSummary"] & {
            /** @description Fingerprints of the text and of each link (R14) */
            fingerprints: string[];
            /** @description The send request as received, without its text */
            request: {
                [key: string]: unknown;
            };
            /** @description The facts each subject was decided on */
            facts: {
                /** @description The recipient or invitee evaluated; null when there is none */
                subject: string | null;
                facts: {
                    [key: string]: unknown;
                };
            }[];
        };
        DecisionExplanation: {
            id: string;
            policy: string;
            version: string;
            /**
             * @description A draft may have changed since it decided; a published version must reproduce
             * @enum {string}
             */
            versionStatus: "draft" | "active" | "retired";
            logged: {
                /** @enum {string} */
                decision: "allow" | "request" | "deny" | "limit";
                reason: string | null;
                rule: string | null;
            };
            explained: {
                /** @enum {string} */
                decision: "allow" | "request" | "deny" | "limit";
                reason: string | null;
                rule: string | null;
            };
            /** @description Whether the re-explained decision, reason and rule equal the logged ones */
            reproduced: boolean;
            subjects: {
                /** @enum {string} */
                decision: "allow" | "request" | "deny" | "limit";
                reason: string | null;
                rule: string | null;
                subject: string | null;
                limits: string[];
                facts: {
                    [key: string]: unknown;
                };
                trace: components["schemas"]["RuleTrace"][];
            }[];
        };
        DecisionLogPruned: {
            /** @description Entries logged before this time were deleted */
            before: string;
            /** @description Decision-log entries deleted */
            deleted: number;
            /** @description Per-minute tallies (live figures) deleted */
            minutesDeleted: number;
            shadowDecisionsDeleted: number;
        };
        DecisionLogPrune: {
            /** @description Entries logged more than this many days ago are deleted */
            olderThanDays: number;
            reason: string;
        };
        DecisionFigures: {
            from: string;
            to: string;
            /** @enum {string} */
            bucket: "minute" | "hour" | "day";
            /** @description Every bucket of the period, oldest first, zero-filled */
            series: {
                at: string;
                allow: number;
                request: number;
                deny: number;
                limit: number;
            }[];
            topReasons: {
                reason: string;
                /** @enum {string} */
                outcome: "allow" | "request" | "deny" | "limit";
                count: number;
            }[];
            totals: {
                allow: number;
                request: number;
                deny: number;
                limit: number;
                all: number;
            };
            /** @description The minute of the latest decision tallied, in the period or not; null when there is none yet */
            latestMinute: string | null;
            index: components["schemas"]["IndexFreshness"];
        };
        BacktestCreated: {
            id: string;
            /** @enum {string} */
            status: "queued" | "running" | "done" | "cancelled" | "failed";
        };
        NewBacktest: {
            /**
             * @description `replay`: the candidate over [from, to). `blast_radius`: the candidate over the last 24 h (from and to are not taken). `sweep`: one replay per value of `parameter`.
             * @default replay
             * @enum {string}
             */
            kind?: "replay" | "blast_radius" | "sweep";
            /**
             * @description The candidate version (a draft or any stored version)
             * @example x-2023
             */
            version: string;
            /**
             * Format: date-time
             * @description Start of the window (inclusive); default 24 h before `to`
             */
            from?: string;
            /**
             * Format: date-time
             * @description End of the window (exclusive); default now
             */
            to?: string;
            /**
             * @description Sweeps: the numeric parameter to vary
             * @example dailyLimit
             */
            parameter?: string;
            /** @description Sweeps: the values, as a list or a range; at most 50, each within the parameter's min and max */
            values?: number[] | {
                from: number;
                to: number;
                step: number;
            };
        };
        BacktestList: {
            items: components["schemas"]["BacktestSummary"][];
        };
        BacktestSummary: {
            id: string;
            /** @enum {string} */
            kind: "replay" | "blast_radius" | "sweep";
            /** @enum {string} */
            status: "queued" | "running" | "done" | "cancelled" | "failed";
            policy: string;
            version: string;
            options: {
                from: string;
                to: string;
                parameter?: string;
                values?: number[];
            };
            progress: {
                processed: number;
                /** @description Attempts to read, warm-up included */
                total: number;
            };
            error: string | null;
            createdBy: string;
            createdAt: string;
            finishedAt: string | null;
        };
        Backtest: components["schemas"]["BacktestSummary"] & {
            /** @description Kept once the job is done */
            report: components["schemas"]["ReplayReport"] | components["schemas"]["SweepReport"] | null;
        };
        ReplayReport: {
            window: {
                from: string;
                to: string;
                /** @description Attempts from here to `from` were replayed for counting only, as they really were decided */
                warmUpFrom: string;
            };
            candidate: {
                policy: string;
                version: string;
                parameters?: {
                    [key: string]: number;
                };
            };
            /** @description Attempts replayed in [from, to) */
            attempts: number;
            warmUpAttempts: number;
            /** @description Attempts whose outcome the candidate changes */
            changed: number;
            mix: {
                actual: components["schemas"]["OutcomeCounts"];
                candidate: components["schemas"]["OutcomeCounts"];
            };
            /** @description transitions[actual][candidate]: attempts by actual and candidate outcome */
            transitions: {
                allow?: components["schemas"]["OutcomeCounts"];
                request?: components["schemas"]["OutcomeCounts"];
                deny?: components["schemas"]["OutcomeCounts"];
                limit?: components["schemas"]["OutcomeCounts"];
            };
            /** @description Attempts decided for another reason, by (actual reason → candidate reason), most first */
            reasons: {
                actual: string;
                candidate: string;
                count: number;
            }[];
            /** @description The 20 senders with the most changed outcomes */
            senders: {
                senderId: string;
                changed: number;
                flips: {
                    /** @enum {string} */
                    from: "allow" | "request" | "deny" | "limit";
                    /** @enum {string} */
                    to: "allow" | "request" | "deny" | "limit";
                    count: number;
                }[];
            }[];
            blastRadius: {
                /** @description Senders with an attempt that flips from allow/request to deny/limit */
                sendersNewlyRefused: number;
                /** @description Senders with an attempt that flips from deny/limit to allow/request */
                sendersNewlyAdmitted: number;
                attemptsNewlyRefused: number;
                attemptsNewlyAdmitted: number;
            };
        };
        OutcomeCounts: {
            allow: number;
            request: number;
            deny: number;
            limit: number;
        };
        SweepReport: {
            parameter: string;
            window: {
                from: string;
                to: string;
                /** @description Attempts from here to `from` were replayed for counting only, as they really were decided */
                warmUpFrom: string;
            };
            candidate: {
                policy: string;
                version: string;
            };
            attempts: number;
            warmUpAttempts: number;
            actual: components["schemas"]["OutcomeCounts"];
            /** @description The decision mix at each value: refusals against the value */
            curve: {
                value: number;
                allow: number;
                request: number;
                deny: number;
                limit: number;
                /** @description deny + limit */
                refused: number;
                changed: number;
            }[];
        };
        Experiment: {
            id: string;
            name: string;
            policy: string;
            salt: string;
            /** @enum {string} */
            status: "running" | "stopped";
            arms: {
                name: string;
                version: string;
                /** @description Share of senders among the enforced arms; ignored for shadow arms */
                weight: number;
                /** @description Evaluated beside the enforced decision for every sender in the experiment and logged, never enforced */
                shadow: boolean;
            }[];
            createdBy: string;
            createdAt: number;
            stoppedAt: number | null;
        };
        NewExperiment: {
            name: string;
            /** @description Hashing salt; a new salt reshuffles senders. Random when omitted. */
            salt?: string;
            arms: {
                name: string;
                version: string;
                /**
                 * @description Share of senders among the enforced arms; ignored for shadow arms
                 * @default 0
                 */
                weight?: number;
                /**
                 * @description Evaluated beside the enforced decision for every sender in the experiment and logged, never enforced
                 * @default false
                 */
                shadow?: boolean;
            }[];
            reason?: string;
        };
        ArmFigures: {
            arm: string;
            version: string;
            shadow: boolean;
            /** @description Decisions of the arm since the experiment started */
            total: number;
            decisions: components["schemas"]["OutcomeCounts"];
            /** @description By outcome and reason, most first */
            reasons: {
                /** @enum {string} */
                outcome: "allow" | "request" | "deny" | "limit";
                reason: string;
                count: number;
            }[];
            /** @description Shadow arms only: how often the shadow decision differed from the enforced one, and how, most first */
            disagreements?: {
                total: number;
                byOutcome: {
                    /** @enum {string} */
                    enforced: "allow" | "request" | "deny" | "limit";
                    /** @enum {string} */
                    shadow: "allow" | "request" | "deny" | "limit";
                    enforcedReason: string | null;
                    shadowReason: string | null;
                    count: number;
                }[];
            };
        };
        AccountCounters: {
            accountId: string;
            daily: {
                window: string;
                used: number;
                limit: number | null;
            };
            api: {
                user15m: number;
                user24h: number;
            };
            cooldownUntil: string | null;
            exemptions: components["schemas"]["Exemption"][];
            /** @description Whether the service ever saw the account: an id never stored nor decided on has counters of zero that mean nothing */
            seen: {
                /** @description The account was PUT or imported; otherwise it exists only implicitly, with the defaults */
                stored: boolean;
                /** @description The latest logged decision with the account as sender or recipient; null when there is none */
                lastDecisionAt: string | null;
            };
        };
        Exemption: {
            id: string;
            accountId: string;
            rule: string;
            expiresAt: number;
            reason: string;
            createdBy: string;
            createdAt: number;
            revokedAt: number | null;
        };
        NewExemption: {
            /** @description A rule name of the active version, e.g. daily-cap */
            rule: string;
            /**
             * Format: date-time
             * @description When the exemption ends (ISO-8601), in the future
             */
            expiresAt: string;
            reason: string;
        };
        Simulation: {
            /**
             * @description Any stored version of the policy: the active one, a draft, a retired one
             * @example x-2023
             */
            version: string;
            send: components["schemas"]["SendRequest"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
