-- What the caller said while its answer is still being worked out (JSON: the
-- turn, the words, their confidence and since when): the caller heard a
-- filler and Twilio will ask for the rest. The turn that answers it clears
-- it. Keep in step with the other tree.
ALTER TABLE calls ADD COLUMN pending TEXT;
