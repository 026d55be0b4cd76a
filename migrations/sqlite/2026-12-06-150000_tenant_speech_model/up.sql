-- The speech recognition model a tenant's calls are heard with (Twilio's
-- <Gather speechModel>). Keep in step with the other tree.
ALTER TABLE tenants ADD COLUMN speech_model TEXT NOT NULL DEFAULT 'experimental_conversations';
