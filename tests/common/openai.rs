//! A local HTTP server that speaks OpenAI's chat completions API, so the
//! real async-openai client inside the app talks to it as to OpenAI. Each
//! test scripts the replies from the request it receives; every request is
//! kept for the test to check its shape.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A completion whose message content is this JSON, serialised.
    Json(Value),
    /// A completion whose message content is this text as it is.
    Text(String),
    /// An HTTP error with an OpenAI-style error body.
    Status(u16, String),
    /// Never answers (the connection stays open).
    Hang,
    /// The reply, after a while.
    After(Duration, Box<Reply>),
}

type Responder = dyn Fn(&Value) -> Reply + Send + Sync;

pub struct FakeLlm {
    port: u16,
    requests: Arc<Mutex<Vec<Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeLlm {
    pub async fn start(responder: impl Fn(&Value) -> Reply + Send + Sync + 'static) -> FakeLlm {
        FakeLlm::start_on(0, responder).await
    }

    /// On a chosen port (0: any free one).
    pub async fn start_on(
        port: u16,
        responder: impl Fn(&Value) -> Reply + Send + Sync + 'static,
    ) -> FakeLlm {
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let responder: Arc<Responder> = Arc::new(responder);
        let kept = requests.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, responder.clone(), kept.clone()));
            }
        });
        FakeLlm {
            port,
            requests,
            task,
        }
    }

    /// `OPENAI_BASE_URL` for the app.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }

    /// The requests for caller turns (not summaries).
    pub fn turn_requests(&self) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| !is_summary(r))
            .collect()
    }
}

/// Whether a request asks for a call summary rather than a caller turn.
pub fn is_summary(request: &Value) -> bool {
    system_prompt(request).contains("note a small business reads")
}

pub fn system_prompt(request: &Value) -> String {
    request["messages"][0]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

pub fn user_prompt(request: &Value) -> String {
    request["messages"][1]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The caller's words, decoded from the `<caller>` block.
pub fn caller_text(request: &Value) -> String {
    let user = user_prompt(request);
    let inside = user
        .split_once("<caller>")
        .and_then(|(_, rest)| rest.rsplit_once("</caller>"))
        .map(|(inside, _)| inside)
        .unwrap_or_default();
    serde_json::from_str::<String>(inside).unwrap_or_default()
}

/// The data block, parsed.
pub fn data(request: &Value) -> Value {
    let user = user_prompt(request);
    let inside = user
        .split_once("<data>")
        .and_then(|(_, rest)| rest.split_once("</data>"))
        .map(|(inside, _)| inside)
        .unwrap_or_default();
    serde_json::from_str(inside.trim()).unwrap_or(Value::Null)
}

/// The ids of the knowledge entries the request shows.
pub fn entry_ids(request: &Value) -> Vec<i64> {
    data(request)["knowledge"]
        .as_array()
        .map(|entries| entries.iter().filter_map(|e| e["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// The id of the shown entry whose question contains `words`.
pub fn entry_about(request: &Value, words: &str) -> Option<i64> {
    data(request)["knowledge"].as_array().and_then(|entries| {
        entries
            .iter()
            .find(|e| {
                e["question"]
                    .as_str()
                    .is_some_and(|q| q.to_lowercase().contains(&words.to_lowercase()))
            })
            .and_then(|e| e["id"].as_i64())
    })
}

/// A caller-turn reading with every field null or false but `intent`;
/// `fields` override.
pub fn reading(intent: &str, fields: Value) -> Value {
    let mut reading = json!({
        "intent": intent, "hours": null, "small_talk": null, "department": null,
        "name": null, "phone": null, "email": null, "reason": null,
        "answer": null, "entries": [], "urgent": false, "goodbye": false, "language": null,
    });
    if let (Some(base), Some(extra)) = (reading.as_object_mut(), fields.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    reading
}

async fn serve(mut stream: TcpStream, responder: Arc<Responder>, kept: Arc<Mutex<Vec<Value>>>) {
    let mut buffer = Vec::new();
    loop {
        let Some((head_end, length)) = read_head(&mut stream, &mut buffer).await else {
            return;
        };
        while buffer.len() < head_end + length {
            let mut chunk = [0u8; 8192];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let body: Vec<u8> = buffer.drain(..head_end + length).skip(head_end).collect();
        let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        kept.lock().unwrap().push(request.clone());
        let mut reply = responder(&request);
        while let Reply::After(delay, then) = reply {
            tokio::time::sleep(delay).await;
            reply = *then;
        }
        let (status, body) = match reply {
            Reply::Hang => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            Reply::Status(status, message) => (
                status,
                json!({"error": {"message": message, "type": "server_error", "param": null, "code": null}})
                    .to_string(),
            ),
            Reply::Json(content) => (200, completion(&request, &content.to_string())),
            Reply::Text(content) => (200, completion(&request, &content)),
            Reply::After(..) => unreachable!(),
        };
        let reason = if status == 200 { "OK" } else { "Error" };
        let response = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(response.as_bytes()).await.is_err() {
            return;
        }
    }
}

/// Reads until the end of the headers; the header length and the body's.
async fn read_head(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<(usize, usize)> {
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            return Some((end + 4, length));
        }
        let mut chunk = [0u8; 8192];
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A chat completion as OpenAI returns it; tokens counted as characters / 4.
fn completion(request: &Value, content: &str) -> String {
    let prompt: usize = request["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| m["content"].as_str().unwrap_or_default().len())
                .sum()
        })
        .unwrap_or(0);
    let prompt_tokens = prompt.div_ceil(4);
    let completion_tokens = content.len().div_ceil(4);
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": request["model"],
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null},
            "finish_reason": "stop",
            "logprobs": null,
        }],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    })
    .to_string()
}
