//! The one diesel schema shared by both backends (portable types only; see
//! `migrations/postgres` and `migrations/sqlite`, which must stay in step).

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tenants (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        timezone -> Text,
        language -> Text,
        voice -> Text,
        greeting -> Nullable<Text>,
        disclosure -> Nullable<Text>,
        address -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        website -> Nullable<Text>,
        transfer_number -> Nullable<Text>,
        emergency_number -> Text,
        twilio_auth_token -> Nullable<Text>,
        notification_emails -> Text,
        send_call_summaries -> Bool,
        retention_days -> Nullable<Integer>,
        max_turns -> Integer,
        max_call_seconds -> Integer,
        max_concurrent_calls -> Integer,
        calls_per_hour_per_caller -> Integer,
        transfer_timeout_seconds -> Integer,
        allow_anonymous -> Bool,
        config_version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        speech_model -> Text,
        staff_languages -> Text,
        llm_model -> Nullable<Text>,
        disabled -> Bool,
    }
}

diesel::table! {
    phone_numbers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        number -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    business_hours (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        weekday -> SmallInt,
        open_minute -> Integer,
        close_minute -> Integer,
    }
}

diesel::table! {
    departments (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        name -> Text,
        phone -> Nullable<Text>,
        keywords -> Text,
        position -> Integer,
    }
}

diesel::table! {
    knowledge_entries (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        question -> Text,
        answer -> Text,
        category -> Nullable<Text>,
        priority -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        also_asked -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        tenant_id -> Nullable<BigInt>,
        disabled -> Bool,
        created_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        must_change_password -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        key_hash -> Text,
        user_id -> Nullable<BigInt>,
        state -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        email -> Text,
        ip -> Text,
        succeeded -> Bool,
        attempted_at -> Timestamp,
    }
}

diesel::table! {
    calls (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        call_sid -> Text,
        from_number -> Text,
        to_number -> Text,
        state -> Text,
        status -> Text,
        outcome -> Nullable<Text>,
        memory -> Text,
        turn_count -> Integer,
        last_reply -> Nullable<Text>,
        started_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        duration_seconds -> Nullable<Integer>,
        summary -> Nullable<Text>,
        updated_at -> Timestamp,
        pending -> Nullable<Text>,
        is_test -> Bool,
    }
}

diesel::table! {
    call_turns (id) {
        id -> BigInt,
        call_id -> BigInt,
        seq -> Integer,
        speaker -> Text,
        text -> Text,
        confidence -> Nullable<Double>,
        state -> Text,
        latency_ms -> Nullable<Integer>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    leads (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        call_id -> Nullable<BigInt>,
        name -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        reason -> Nullable<Text>,
        status -> Text,
        complete -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        urgent -> Bool,
        department -> Nullable<Text>,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        unique_key -> Nullable<Text>,
        status -> Text,
        priority -> Integer,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamp,
        locked_at -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        give_up_at -> Timestamp,
    }
}

diesel::table! {
    blocked_numbers (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        number -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        tenant_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        action -> Text,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    llm_usage (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        call_id -> Nullable<BigInt>,
        turn_seq -> Nullable<Integer>,
        purpose -> Text,
        model -> Text,
        prompt_tokens -> Integer,
        completion_tokens -> Integer,
        latency_ms -> Integer,
        outcome -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    unanswered_questions (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        call_id -> BigInt,
        question -> Text,
        best_score -> Float,
        answered -> Bool,
        asked_at -> Timestamp,
    }
}

diesel::table! {
    mail_deliveries (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        job_key -> Text,
        recipient -> Text,
        status -> Text,
        attempts -> Integer,
        last_error -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    closures (id) {
        id -> BigInt,
        tenant_id -> BigInt,
        first_day -> Date,
        last_day -> Date,
        name -> Nullable<Text>,
    }
}

diesel::joinable!(phone_numbers -> tenants (tenant_id));
diesel::joinable!(business_hours -> tenants (tenant_id));
diesel::joinable!(departments -> tenants (tenant_id));
diesel::joinable!(knowledge_entries -> tenants (tenant_id));
diesel::joinable!(users -> tenants (tenant_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(calls -> tenants (tenant_id));
diesel::joinable!(call_turns -> calls (call_id));
diesel::joinable!(leads -> tenants (tenant_id));
diesel::joinable!(leads -> calls (call_id));
diesel::joinable!(blocked_numbers -> tenants (tenant_id));
diesel::joinable!(audit_log -> tenants (tenant_id));
diesel::joinable!(audit_log -> users (user_id));
diesel::joinable!(llm_usage -> tenants (tenant_id));
diesel::joinable!(llm_usage -> calls (call_id));
diesel::joinable!(mail_deliveries -> tenants (tenant_id));
diesel::joinable!(unanswered_questions -> tenants (tenant_id));
diesel::joinable!(unanswered_questions -> calls (call_id));
diesel::joinable!(closures -> tenants (tenant_id));

diesel::allow_tables_to_appear_in_same_query!(
    settings,
    tenants,
    phone_numbers,
    business_hours,
    departments,
    knowledge_entries,
    unanswered_questions,
    users,
    sessions,
    login_attempts,
    calls,
    call_turns,
    leads,
    jobs,
    blocked_numbers,
    audit_log,
    llm_usage,
    mail_deliveries,
    closures,
);
