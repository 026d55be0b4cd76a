DROP TABLE unanswered_questions;
