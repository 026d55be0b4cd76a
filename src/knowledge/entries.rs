//! A tenant's stored knowledge entries: listing, reading and changing them.
//! Every change bumps the tenant's `config_version` (so the next call on
//! every instance answers from it) and writes its audit entry, in the
//! caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Action, Change};
use crate::calls::columns::{Json, to_json};
use crate::db::DbConnection;
use crate::ids::{KnowledgeId, TenantId, UserId};
use crate::schema::{knowledge_entries, tenants};
use crate::tenants::file::KnowledgeEntry;

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = knowledge_entries)]
pub struct StoredEntry {
    pub id: KnowledgeId,
    pub question: String,
    pub answer: String,
    pub category: Option<String>,
    pub priority: i32,
    pub active: bool,
    pub also_asked: Json<Vec<String>>,
    pub updated_at: NaiveDateTime,
}

/// Which entries the list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    /// Words looked for in the question, its phrasings, the answer and the category.
    pub q: Option<String>,
    pub category: Option<String>,
}

/// The tenant's entries matching `filter`: by category (those without one
/// last), then highest priority first, then in the order they were added.
pub fn list(
    conn: &mut DbConnection,
    tenant: TenantId,
    filter: &EntryFilter,
) -> QueryResult<Vec<StoredEntry>> {
    let mut query = knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant))
        .select(StoredEntry::as_select())
        .into_boxed();
    if let Some(category) = &filter.category {
        query = query.filter(knowledge_entries::category.eq(category.clone()));
    }
    let mut entries: Vec<StoredEntry> = query.load(conn)?;
    // Sorted here: the backends put entries without a category at opposite
    // ends; here they come last on both.
    entries.sort_by(|a, b| {
        (a.category.is_none(), &a.category, -a.priority, a.id).cmp(&(
            b.category.is_none(),
            &b.category,
            -b.priority,
            b.id,
        ))
    });
    // Searched here rather than with LIKE: case-insensitively for any
    // script on both backends, across the JSON list of phrasings too; a
    // business has tens or hundreds of entries, not millions.
    if let Some(q) = filter.q.as_deref().map(str::to_lowercase) {
        entries.retain(|entry| {
            std::iter::once(&entry.question)
                .chain(&entry.also_asked.0)
                .chain(std::iter::once(&entry.answer))
                .chain(entry.category.as_ref())
                .any(|text| text.to_lowercase().contains(&q))
        });
    }
    Ok(entries)
}

/// The tenant's categories, in alphabetical order.
pub fn categories(conn: &mut DbConnection, tenant: TenantId) -> QueryResult<Vec<String>> {
    let found: Vec<Option<String>> = knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant))
        .select(knowledge_entries::category)
        .distinct()
        .load(conn)?;
    // Sorted here, the same on both backends whatever their collation.
    let mut categories: Vec<String> = found.into_iter().flatten().collect();
    categories.sort_by_key(|c| c.to_lowercase());
    Ok(categories)
}

/// The tenant's entry `id`; `None` when it has none by that id.
pub fn find(
    conn: &mut DbConnection,
    tenant: TenantId,
    id: KnowledgeId,
) -> QueryResult<Option<StoredEntry>> {
    knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant))
        .filter(knowledge_entries::id.eq(id))
        .select(StoredEntry::as_select())
        .first(conn)
        .optional()
}

/// Another of the tenant's entries with the same question (ignoring case
/// and surrounding spaces): the tenant file knows entries by their
/// question, so two alike would merge on the next import.
pub fn question_taken(
    conn: &mut DbConnection,
    tenant: TenantId,
    question: &str,
    except: Option<KnowledgeId>,
) -> QueryResult<bool> {
    let key = question.trim().to_lowercase();
    let questions: Vec<(KnowledgeId, String)> = knowledge_entries::table
        .filter(knowledge_entries::tenant_id.eq(tenant))
        .select((knowledge_entries::id, knowledge_entries::question))
        .load(conn)?;
    Ok(questions
        .iter()
        .any(|(id, q)| Some(*id) != except && q.trim().to_lowercase() == key))
}

/// Who changes the knowledge base of which tenant.
#[derive(Debug, Clone, Copy)]
pub struct Editor {
    pub user: UserId,
    pub tenant: TenantId,
}

impl Editor {
    fn record(self, conn: &mut DbConnection, action: Action, question: &str) -> QueryResult<()> {
        diesel::update(tenants::table.find(self.tenant))
            .set(tenants::config_version.eq(tenants::config_version + 1))
            .execute(conn)?;
        audit::record(
            conn,
            &Change::by(self.user).in_tenant(self.tenant),
            action,
            question,
        )
    }

    pub fn create(
        self,
        conn: &mut DbConnection,
        entry: &KnowledgeEntry,
    ) -> QueryResult<KnowledgeId> {
        let now = crate::clock::now();
        let id = diesel::insert_into(knowledge_entries::table)
            .values((
                knowledge_entries::tenant_id.eq(self.tenant),
                knowledge_entries::question.eq(&entry.question),
                knowledge_entries::answer.eq(&entry.answer),
                knowledge_entries::category.eq(&entry.category),
                knowledge_entries::priority.eq(entry.priority),
                knowledge_entries::active.eq(entry.active),
                knowledge_entries::also_asked.eq(to_json(&entry.also_asked)),
                knowledge_entries::created_at.eq(now),
                knowledge_entries::updated_at.eq(now),
            ))
            .returning(knowledge_entries::id)
            .get_result(conn)?;
        self.record(conn, Action::KnowledgeCreated, &entry.question)?;
        Ok(id)
    }

    /// Replaces entry `id`; `false` when the tenant has no such entry.
    pub fn update(
        self,
        conn: &mut DbConnection,
        id: KnowledgeId,
        entry: &KnowledgeEntry,
    ) -> QueryResult<bool> {
        let changed = diesel::update(self.own(id))
            .set((
                knowledge_entries::question.eq(&entry.question),
                knowledge_entries::answer.eq(&entry.answer),
                knowledge_entries::category.eq(&entry.category),
                knowledge_entries::priority.eq(entry.priority),
                knowledge_entries::active.eq(entry.active),
                knowledge_entries::also_asked.eq(to_json(&entry.also_asked)),
                knowledge_entries::updated_at.eq(crate::clock::now()),
            ))
            .execute(conn)?;
        if changed == 0 {
            return Ok(false);
        }
        self.record(conn, Action::KnowledgeUpdated, &entry.question)?;
        Ok(true)
    }

    /// Switches entry `id` on or off; its question when the tenant has it.
    pub fn set_active(
        self,
        conn: &mut DbConnection,
        id: KnowledgeId,
        active: bool,
    ) -> QueryResult<Option<String>> {
        let Some(question) = self.question_of(conn, id)? else {
            return Ok(None);
        };
        diesel::update(self.own(id))
            .set((
                knowledge_entries::active.eq(active),
                knowledge_entries::updated_at.eq(crate::clock::now()),
            ))
            .execute(conn)?;
        let detail = if active {
            format!("{question} (activated)")
        } else {
            format!("{question} (deactivated)")
        };
        self.record(conn, Action::KnowledgeUpdated, &detail)?;
        Ok(Some(question))
    }

    /// Deletes entry `id`; its question when the tenant had it.
    pub fn delete(self, conn: &mut DbConnection, id: KnowledgeId) -> QueryResult<Option<String>> {
        let Some(question) = self.question_of(conn, id)? else {
            return Ok(None);
        };
        diesel::delete(self.own(id)).execute(conn)?;
        self.record(conn, Action::KnowledgeDeleted, &question)?;
        Ok(Some(question))
    }

    fn question_of(self, conn: &mut DbConnection, id: KnowledgeId) -> QueryResult<Option<String>> {
        knowledge_entries::table
            .filter(knowledge_entries::tenant_id.eq(self.tenant))
            .filter(knowledge_entries::id.eq(id))
            .select(knowledge_entries::question)
            .first(conn)
            .optional()
    }

    fn own(
        self,
        id: KnowledgeId,
    ) -> diesel::dsl::Filter<
        diesel::dsl::Filter<
            knowledge_entries::table,
            diesel::dsl::Eq<knowledge_entries::tenant_id, TenantId>,
        >,
        diesel::dsl::Eq<knowledge_entries::id, KnowledgeId>,
    > {
        knowledge_entries::table
            .filter(knowledge_entries::tenant_id.eq(self.tenant))
            .filter(knowledge_entries::id.eq(id))
    }
}
