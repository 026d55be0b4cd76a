-- History for the load test (SQLite): :calls ended calls of tenant :tenant
-- spread over the months before the test (all older than three hours), each
-- with ten transcript lines, a lead for a quarter of them and its jobs done.
-- Run by examples/seed_history.rs, which fills in :calls and :tenant.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :calls),
     t AS (SELECT tenants.id, phone_numbers.number FROM tenants
           JOIN phone_numbers ON phone_numbers.tenant_id = tenants.id
           WHERE tenants.slug = ':tenant' LIMIT 1),
     s AS (SELECT i, datetime('now', printf('-%d seconds', 10800 + i * 86)) AS at FROM n)
INSERT INTO calls (tenant_id, call_sid, from_number, to_number, state, status, outcome, memory,
    turn_count, last_reply, started_at, ended_at, duration_seconds, summary, updated_at)
SELECT t.id, printf('CAseed%026d', s.i), printf('+1555%07d', s.i % 20000), t.number, 'ended',
    'completed',
    CASE s.i % 4 WHEN 0 THEN 'answered' WHEN 1 THEN 'hung_up' WHEN 2 THEN 'lead_captured'
        ELSE 'transferred' END,
    '{"lead":{"name":"Jane Doe","phone":"+15550001234","email":"jane@example.com","reason":"reschedule my cleaning"},"questions_answered":2}',
    5,
    '<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna-Neural">Thanks for calling. Goodbye.</Say><Hangup/></Response>',
    s.at, datetime(s.at, '+95 seconds'), 95,
    'The caller asked whether walk-ins are accepted and where to park, then left a message asking to reschedule a cleaning.',
    datetime(s.at, '+95 seconds')
FROM s, t;

WITH RECURSIVE k(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM k WHERE seq < 9)
INSERT INTO call_turns (call_id, seq, speaker, text, confidence, state, latency_ms, created_at)
SELECT calls.id, k.seq,
    CASE k.seq % 2 WHEN 0 THEN 'receptionist' ELSE 'caller' END,
    CASE k.seq % 2 WHEN 0 THEN 'Thanks for calling Loadgen Dental. How can I help you today?'
        ELSE 'hi um do you take walk-ins' END,
    CASE k.seq % 2 WHEN 0 THEN NULL ELSE 0.92 END,
    'intent',
    CASE k.seq % 2 WHEN 0 THEN 12 ELSE NULL END,
    calls.started_at
FROM calls, k WHERE calls.call_sid LIKE 'CAseed%';

INSERT INTO leads (tenant_id, call_id, name, phone, email, reason, status, complete, created_at, updated_at)
SELECT tenant_id, id, 'Jane Doe', from_number, 'jane@example.com', 'reschedule my cleaning', 'new',
    TRUE, ended_at, ended_at
FROM calls WHERE call_sid LIKE 'CAseed%' AND outcome = 'lead_captured';

INSERT INTO jobs (kind, payload, unique_key, status, priority, attempts, max_attempts, run_at,
    created_at, finished_at)
SELECT 'summarize_call', '{"kind":"summarize_call","tenant_id":' || tenant_id || ',"call_id":' || id || '}',
    'summarize:' || id, 'done', 5, 1, 5, ended_at, ended_at, ended_at
FROM calls WHERE call_sid LIKE 'CAseed%'
UNION ALL
SELECT 'call_summary_email', '{"kind":"call_summary_email","tenant_id":' || tenant_id || ',"call_id":' || id || '}',
    'summary-email:' || id, 'done', 0, 1, 10, ended_at, ended_at, ended_at
FROM calls WHERE call_sid LIKE 'CAseed%'
UNION ALL
SELECT 'lead_notification', '{"kind":"lead_notification","tenant_id":' || tenant_id || ',"lead_id":' || id || '}',
    'lead-email:' || id, 'done', 10, 1, 10, created_at, created_at, created_at
FROM leads;
