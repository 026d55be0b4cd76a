//! Questions callers asked that the receptionist could not answer, or
//! answered from a weak match: recorded after each call, listed grouped by
//! what they ask, so the business can add the answers its callers need.
//!
//! **When they are recorded.** The summary job ([`crate::jobs`]'s
//! `SummarizeCall`) records them once the call has ended, not the live turn:
//! a turn's time belongs to the caller, and whether a question went
//! unanswered is already worked out there for the summary (the
//! receptionist's reply to it offered help instead of an answer), from the
//! stored transcript, with no extra write on the turn's path. The job runs
//! seconds after the call, so the list is current for all practical use.
//! The rows go with their call (retention, `crate::retention`) and tenant.
//!
//! **When they leave the list.** Groups are re-checked against the tenant's
//! current knowledge base with the matcher a call uses each time the list is
//! shown: once an entry answers a question confidently, its group is gone,
//! with no "resolved" state to keep in step with later edits.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::trial::first_reading;
use crate::ai::rules::{KnowledgeIndex, question_key};
use crate::ai::summary::KnowledgeQuestion;
use crate::db::DbConnection;
use crate::ids::{CallId, TenantId};
use crate::schema::unanswered_questions;
use crate::tenants::directory::TenantContext;

/// An answer whose best match scored below this is a guess worth a look
/// (scores run from 0 to about 1; the matcher's own bar to answer is lower
/// only when one entry is clearly ahead of the rest).
pub const LOW_CONFIDENCE: f32 = 0.55;
/// Rows read for the list: the most recent questions, months of a busy line.
const MAX_ROWS: i64 = 5_000;
/// Calls linked from one group, most recent first.
const MAX_CALLS: usize = 10;

/// Records the questions of call `call_id` that went unanswered or were
/// answered from a weak match (`index`: the tenant's knowledge base now),
/// each once. Returns how many were recorded.
pub fn record_for_call(
    conn: &mut DbConnection,
    tenant: TenantId,
    call: CallId,
    questions: &[KnowledgeQuestion<'_>],
    index: &KnowledgeIndex,
    asked_at: NaiveDateTime,
) -> QueryResult<usize> {
    let mut seen: Vec<String> = Vec::new();
    let mut recorded = 0;
    for question in questions {
        let text = question.text.trim();
        let key = question_key(text);
        if text.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let best = index
            .search(text, 1)
            .first()
            .map_or(0.0, |(_, score)| *score);
        if question.answered && best >= LOW_CONFIDENCE {
            continue;
        }
        // One row at a time: SQLite through the multi-backend connection
        // takes no batch insert, and a call asks a handful of questions.
        recorded += diesel::insert_into(unanswered_questions::table)
            .values((
                unanswered_questions::tenant_id.eq(tenant),
                unanswered_questions::call_id.eq(call),
                unanswered_questions::question.eq(text),
                unanswered_questions::best_score.eq(best),
                unanswered_questions::answered.eq(question.answered),
                unanswered_questions::asked_at.eq(asked_at),
            ))
            .execute(conn)?;
    }
    Ok(recorded)
}

/// One recorded question, as read back.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct Asked {
    pub call: CallId,
    pub question: String,
    pub best_score: f32,
    pub answered: bool,
    pub asked_at: NaiveDateTime,
}

/// The tenant's most recently recorded questions, newest first.
pub fn recent(conn: &mut DbConnection, tenant: TenantId) -> QueryResult<Vec<Asked>> {
    unanswered_questions::table
        .filter(unanswered_questions::tenant_id.eq(tenant))
        .order((
            unanswered_questions::asked_at.desc(),
            unanswered_questions::id.desc(),
        ))
        .limit(MAX_ROWS)
        .select((
            unanswered_questions::call_id,
            unanswered_questions::question,
            unanswered_questions::best_score,
            unanswered_questions::answered,
            unanswered_questions::asked_at,
        ))
        .load(conn)
}

/// Questions that ask the same thing, as the matcher reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// How a caller asked it, most recently.
    pub phrasing: String,
    /// Other ways callers asked it, without repeats.
    pub other_phrasings: Vec<String>,
    pub count: usize,
    pub last_asked: NaiveDateTime,
    /// The calls it was asked in, most recent first (at most a few).
    pub calls: Vec<CallId>,
    /// The best match any entry had for it when asked.
    pub best_score: f32,
    /// Some of the times the receptionist did answer, from a weak match.
    pub weakly_answered: bool,
    /// The entry that comes closest now (id, question): the one to add
    /// this phrasing to when it asks the same thing in other words.
    pub closest: Option<(i64, String)>,
}

/// Whether two questions ask the same thing: their key terms (see
/// [`question_key`]) are mostly the same, or one's are all in the other's
/// ("whitening" and "teeth whitening").
fn similar(a: &[String], b: &[String]) -> bool {
    let shared = a.iter().filter(|term| b.contains(term)).count();
    let union = a.len() + b.len() - shared;
    shared > 0 && (shared == a.len().min(b.len()) || shared * 2 >= union)
}

/// `asked` (newest first) grouped by what each question asks, the groups
/// asked most often first, and without those the knowledge base of `ctx`
/// now answers confidently.
pub fn still_open(asked: Vec<Asked>, ctx: &TenantContext) -> Vec<Group> {
    let mut groups: Vec<(Vec<String>, Group)> = Vec::new();
    for row in asked {
        let terms: Vec<String> = question_key(&row.question)
            .split(' ')
            .map(str::to_owned)
            .collect();
        match groups.iter_mut().find(|(key, _)| similar(key, &terms)) {
            Some((_, group)) => {
                group.count += 1;
                if !group.calls.contains(&row.call) && group.calls.len() < MAX_CALLS {
                    group.calls.push(row.call);
                }
                let phrasing = row.question.to_lowercase();
                if group.phrasing.to_lowercase() != phrasing
                    && !group
                        .other_phrasings
                        .iter()
                        .any(|p| p.to_lowercase() == phrasing)
                {
                    group.other_phrasings.push(row.question);
                }
                group.best_score = group.best_score.max(row.best_score);
                group.weakly_answered |= row.answered;
            }
            None => groups.push((
                terms,
                Group {
                    phrasing: row.question,
                    other_phrasings: Vec::new(),
                    count: 1,
                    last_asked: row.asked_at,
                    calls: vec![row.call],
                    best_score: row.best_score,
                    weakly_answered: row.answered,
                    closest: None,
                },
            )),
        }
    }
    let mut open: Vec<Group> = groups
        .into_iter()
        .map(|(_, group)| group)
        .filter(|group| !answered_now(ctx, &group.phrasing))
        .map(|group| Group {
            closest: ctx
                .knowledge
                .search(&group.phrasing, 1)
                .first()
                .map(|(entry, _)| (entry.id, entry.question.clone())),
            ..group
        })
        .collect();
    // Stable: equally frequent groups stay most recent first.
    open.sort_by_key(|group| std::cmp::Reverse(group.count));
    open
}

/// Whether a call asking `question` now hears a confident answer.
fn answered_now(ctx: &TenantContext, question: &str) -> bool {
    first_reading(ctx, question)
        .answer
        .is_some_and(|answer| answer.score >= LOW_CONFIDENCE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        question_key(text).split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn the_same_question_in_other_words_is_grouped_but_another_is_not() {
        let asked = terms("Do you do teeth whitening?");
        assert!(similar(
            &asked,
            &terms("um so like do you guys do whitening")
        ));
        assert!(similar(&asked, &terms("DO YOU DO TEETH WHITENING")));
        assert!(!similar(
            &asked,
            &terms("do you take delta dental insurance")
        ));
    }
}
