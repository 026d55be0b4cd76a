-- Frontdesk schema (SQLite). Keep in step with migrations/postgres: same
-- tables, columns and meaning. Timestamps are UTC without time zone.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    timezone TEXT NOT NULL,
    language TEXT NOT NULL,
    voice TEXT NOT NULL,
    greeting TEXT,
    disclosure TEXT,
    address TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    website TEXT,
    transfer_number TEXT,
    emergency_number TEXT NOT NULL DEFAULT '911',
    twilio_auth_token TEXT,
    notification_emails TEXT NOT NULL DEFAULT '[]',
    send_call_summaries BOOLEAN NOT NULL DEFAULT TRUE,
    retention_days INTEGER,
    max_turns INTEGER NOT NULL DEFAULT 20,
    max_call_seconds INTEGER NOT NULL DEFAULT 600,
    max_concurrent_calls INTEGER NOT NULL DEFAULT 10,
    calls_per_hour_per_caller INTEGER NOT NULL DEFAULT 10,
    transfer_timeout_seconds INTEGER NOT NULL DEFAULT 20,
    allow_anonymous BOOLEAN NOT NULL DEFAULT TRUE,
    config_version BIGINT NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE phone_numbers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    number TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX phone_numbers_tenant ON phone_numbers(tenant_id);

CREATE TABLE business_hours (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    weekday SMALLINT NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    open_minute INTEGER NOT NULL CHECK (open_minute BETWEEN 0 AND 1440),
    close_minute INTEGER NOT NULL CHECK (close_minute BETWEEN 0 AND 1440),
    UNIQUE (tenant_id, weekday)
);

CREATE TABLE departments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    phone TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX departments_tenant ON departments(tenant_id);

CREATE TABLE knowledge_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    category TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX knowledge_entries_tenant ON knowledge_entries(tenant_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('super_admin', 'tenant_admin')),
    tenant_id BIGINT REFERENCES tenants(id) ON DELETE CASCADE,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP
);
CREATE INDEX users_tenant ON users(tenant_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    succeeded BOOLEAN NOT NULL,
    attempted_at TIMESTAMP NOT NULL
);
CREATE INDEX login_attempts_email_time ON login_attempts(email, attempted_at);
CREATE INDEX login_attempts_ip_time ON login_attempts(ip, attempted_at);

CREATE TABLE calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_sid TEXT NOT NULL UNIQUE,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    state TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    memory TEXT NOT NULL DEFAULT '{}',
    turn_count INTEGER NOT NULL DEFAULT 0,
    last_reply TEXT,
    started_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP,
    duration_seconds INTEGER,
    summary TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX calls_tenant_started ON calls(tenant_id, started_at);
CREATE INDEX calls_tenant_from_started ON calls(tenant_id, from_number, started_at);
CREATE INDEX calls_tenant_active ON calls(tenant_id) WHERE ended_at IS NULL;

CREATE TABLE call_turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id BIGINT NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    speaker TEXT NOT NULL CHECK (speaker IN ('caller', 'receptionist')),
    text TEXT NOT NULL,
    confidence DOUBLE,
    state TEXT NOT NULL,
    latency_ms INTEGER,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX call_turns_call_seq ON call_turns(call_id, seq);

CREATE TABLE leads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    call_id BIGINT UNIQUE REFERENCES calls(id) ON DELETE SET NULL,
    name TEXT,
    phone TEXT,
    email TEXT,
    reason TEXT,
    status TEXT NOT NULL DEFAULT 'new',
    complete BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX leads_tenant_created ON leads(tenant_id, created_at);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    unique_key TEXT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'dead')),
    priority INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    run_at TIMESTAMP NOT NULL,
    locked_at TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE UNIQUE INDEX jobs_unique_key_pending ON jobs(unique_key) WHERE unique_key IS NOT NULL AND status IN ('queued', 'running');
CREATE INDEX jobs_claimable ON jobs(priority DESC, run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_running_locked ON jobs(locked_at) WHERE status = 'running';

CREATE TABLE blocked_numbers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, number)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id BIGINT REFERENCES tenants(id) ON DELETE SET NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_tenant_created ON audit_log(tenant_id, created_at);
