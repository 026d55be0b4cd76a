//! A TCP proxy in front of the database that can go dark: while
//! `swallowing`, it accepts and reads everything and forwards nothing (as a
//! dead load balancer or a half-open network path does), so the client's
//! queries neither fail nor return. What was swallowed is lost for good.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub struct BlackholeProxy {
    pub port: u16,
    swallowing: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl BlackholeProxy {
    pub async fn start(upstream: String) -> BlackholeProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let swallowing = Arc::new(AtomicBool::new(false));
        let flag = swallowing.clone();
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let flag = flag.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (client_read, client_write) = client.into_split();
                    let (server_read, server_write) = server.into_split();
                    tokio::spawn(pump(client_read, server_write, flag.clone()));
                    pump(server_read, client_write, flag).await;
                });
            }
        });
        BlackholeProxy {
            port,
            swallowing,
            task,
        }
    }

    /// From now on nothing gets through, in either direction.
    pub fn go_dark(&self) {
        self.swallowing.store(true, Ordering::SeqCst);
    }

    /// Traffic flows again (what was swallowed stays lost).
    pub fn come_back(&self) {
        self.swallowing.store(false, Ordering::SeqCst);
    }
}

impl Drop for BlackholeProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    swallowing: Arc<AtomicBool>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if swallowing.load(Ordering::SeqCst) {
            continue;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
