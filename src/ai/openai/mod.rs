//! The OpenAI brain: one chat completion per caller turn, through
//! async-openai, against OpenAI or any server that speaks its chat API
//! (Azure OpenAI, vLLM, llama.cpp, Ollama).
//!
//! The LLM interprets and phrases; it decides nothing. Its output is a JSON
//! reading ([`reading`]) checked field by field before use: departments
//! must exist, details are normalised by the rules' own extractors, and a
//! spoken answer must be grounded in the knowledge entries it was shown,
//! with no number the material does not hold ([`speakable`]). The state
//! machine still decides what happens next, so the LLM cannot skip a
//! confirmation or dial a number. Unusable output gives the rules brain's
//! reading for the turn; the turn service owns the time budget.

mod prompt;
mod reading;
pub mod speakable;
mod summary;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_openai::Client;
use async_openai::config::OpenAIConfig;
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::{
    ChatCompletionRequestMessage, CreateChatCompletionRequest, ResponseFormat,
    ResponseFormatJsonSchema,
};

use super::brain::{Brain, BrainError, BrainFuture, CallSummary, Heard, RulesBrain};
use super::summary::CallFacts;
use crate::config::LlmSettings;
use crate::conversation::interpretation::{Interpretation, LlmOutcome, LlmUse};

pub use prompt::{KNOWLEDGE_IN_PROMPT, estimated_tokens};
pub use summary::LlmSummary;

/// The brain that asks an LLM. Cheap to share: one HTTP client, pooled
/// connections.
pub struct OpenAiBrain {
    client: Client<OpenAIConfig>,
    settings: LlmSettings,
    /// Cleared once the server refused a JSON schema: from then on JSON mode,
    /// with the schema in the prompt.
    schema_accepted: AtomicBool,
}

/// What one completion gave: its text and its cost.
struct Completion {
    content: String,
    usage: LlmUse,
}

impl OpenAiBrain {
    pub fn new(settings: LlmSettings) -> Result<OpenAiBrain, BrainError> {
        // No retries inside the client: async-openai would retry a 429 or a
        // 5xx after the caller's turn is over. The rules brain is the
        // fallback, and a summary job is retried by the job queue.
        let http = crate::http::client_builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(settings.timeout.max(Duration::from_secs(30)))
            .pool_idle_timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| BrainError::Unavailable(format!("cannot build the HTTP client: {e}")))?;
        let mut config = OpenAIConfig::new().with_api_key(settings.api_key.expose());
        if let Some(base) = &settings.base_url {
            config = config.with_api_base(base);
        }
        let client = Client::with_config(config).with_http_service(ReqwestService::new(http));
        Ok(OpenAiBrain {
            client,
            schema_accepted: AtomicBool::new(settings.json_schema),
            settings,
        })
    }

    /// One chat completion whose reply is a JSON object following `schema`.
    async fn complete(
        &self,
        model: &str,
        system: String,
        user: String,
        schema: (&str, serde_json::Value),
    ) -> Result<Completion, BrainError> {
        let started = Instant::now();
        let by_schema = self.schema_accepted.load(Ordering::Relaxed);
        let request = self.request(model, &system, &user, &schema, by_schema);
        let response = match self.client.chat().create(request).await {
            Err(error) if by_schema && refused_schema(&error) => {
                tracing::warn!(%error, "the LLM server refused a JSON schema; using JSON mode");
                self.schema_accepted.store(false, Ordering::Relaxed);
                let request = self.request(model, &system, &user, &schema, false);
                self.client.chat().create(request).await
            }
            other => other,
        }
        .map_err(|e| BrainError::Unavailable(describe(&e)))?;
        let usage = response.usage.as_ref();
        let used = LlmUse {
            model: if response.model.is_empty() {
                model.to_owned()
            } else {
                response.model.clone()
            },
            prompt_tokens: usage.map_or(0, |u| u.prompt_tokens),
            completion_tokens: usage.map_or(0, |u| u.completion_tokens),
            latency_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
            outcome: LlmOutcome::Answered,
        };
        let content = response
            .choices
            .into_iter()
            .next()
            .and_then(|choice| choice.message.content)
            .unwrap_or_default();
        Ok(Completion {
            content,
            usage: used,
        })
    }

    fn request(
        &self,
        model: &str,
        system: &str,
        user: &str,
        (name, schema): &(&str, serde_json::Value),
        by_schema: bool,
    ) -> CreateChatCompletionRequest {
        let (system, response_format) = if by_schema {
            let format = ResponseFormat::JsonSchema {
                json_schema: ResponseFormatJsonSchema {
                    description: None,
                    name: (*name).to_owned(),
                    schema: schema.clone(),
                    strict: Some(true),
                },
            };
            (system.to_owned(), format)
        } else {
            // JSON mode: the server promises JSON, the prompt says which.
            let described = format!(
                "{system}\nReply with one JSON object that follows this JSON schema:\n{schema}"
            );
            (described, ResponseFormat::JsonObject)
        };
        CreateChatCompletionRequest {
            model: model.to_owned(),
            messages: vec![
                ChatCompletionRequestMessage::System(system.into()),
                ChatCompletionRequestMessage::User(user.to_owned().into()),
            ],
            temperature: Some(self.settings.temperature),
            max_completion_tokens: Some(self.settings.max_tokens),
            response_format: Some(response_format),
            ..CreateChatCompletionRequest::default()
        }
    }

    /// A caller's turn: the rules' reading first (for retrieval, and as what
    /// is used when the LLM's is not), then the LLM's, checked.
    async fn understand(&self, heard: Heard<'_>) -> Result<Interpretation, BrainError> {
        let rules = RulesBrain::hear(heard);
        let material = prompt::Material::gather(&heard);
        let model = heard.model.unwrap_or(&self.settings.model);
        let (system, user) = prompt::turn(&heard, &material);
        let completion = self
            .complete(model, system, user, reading::schema())
            .await?;
        let mut usage = completion.usage;
        let interpretation = match reading::parse(&completion.content) {
            Ok(reading) => {
                let (interpretation, grounded) = reading.interpret(&heard, &material, rules);
                if !grounded {
                    usage.outcome = LlmOutcome::Ungrounded;
                }
                interpretation
            }
            Err(why) => {
                tracing::warn!(%why, "the LLM's reading cannot be used; using the rules'");
                usage.outcome = LlmOutcome::Invalid;
                rules
            }
        };
        Ok(Interpretation {
            llm: Some(usage),
            ..interpretation
        })
    }
}

/// The system and user messages the LLM gets for `heard` (for measuring
/// the prompt's size).
pub fn turn_prompt(heard: &Heard<'_>) -> (String, String) {
    prompt::turn(heard, &prompt::Material::gather(heard))
}

/// A 400 that names the response format: the server has no JSON schemas.
fn refused_schema(error: &OpenAIError) -> bool {
    match error {
        OpenAIError::ApiError(api) => {
            api.status_code.as_u16() == 400 && {
                let message = api.api_error.message.to_lowercase();
                message.contains("response_format")
                    || message.contains("json_schema")
                    || message.contains("schema")
            }
        }
        _ => false,
    }
}

/// The error for a log line: what failed, never the API key.
fn describe(error: &OpenAIError) -> String {
    match error {
        OpenAIError::ApiError(api) => {
            format!(
                "HTTP {}: {}",
                api.status_code.as_u16(),
                api.api_error.message
            )
        }
        OpenAIError::Reqwest(e) if e.is_timeout() => "the LLM server timed out".to_owned(),
        OpenAIError::Reqwest(e) if e.is_connect() => "the LLM server cannot be reached".to_owned(),
        other => other.to_string(),
    }
}

impl Brain for OpenAiBrain {
    fn name(&self) -> &'static str {
        "openai"
    }

    fn model<'a>(&'a self, tenant_model: Option<&'a str>) -> Option<&'a str> {
        Some(tenant_model.unwrap_or(&self.settings.model))
    }

    fn filler_after(&self) -> Option<Duration> {
        Some(self.settings.filler_after)
    }

    fn interpret<'a>(&'a self, heard: Heard<'a>) -> BrainFuture<'a, Interpretation> {
        Box::pin(self.understand(heard))
    }

    fn summarize<'a>(
        &'a self,
        facts: &'a CallFacts<'a>,
        model: Option<&'a str>,
    ) -> BrainFuture<'a, CallSummary> {
        Box::pin(async move {
            let (summary, usage) = self.summarize_call(facts, model).await?;
            Ok(CallSummary {
                text: match summary {
                    Some(summary) => summary.text(),
                    None => super::summary::summarize(facts),
                },
                llm: Some(usage),
            })
        })
    }
}
