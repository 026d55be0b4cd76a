//! A deadline for database work that a hung network cannot outlast.
//!
//! libpq blocks in `recv` until the server answers. When the path to the
//! server swallows packets (a dead proxy, a half-open TCP connection, a
//! failed-over address), a query never returns: keepalives and
//! `tcp_user_timeout` do not fire while something on the path still
//! acknowledges, and a query the server never saw is not covered by
//! `statement_timeout`. The thread, the pooled connection and the pool slot
//! would be lost for good, and an instance loses one slot per stuck query
//! until it serves nobody.
//!
//! So each PostgreSQL connection remembers its socket (found once, when it
//! is opened), and work that outlives its deadline has that socket shut
//! down from outside: the blocked call returns an error at once, the
//! connection is discarded, and the slot comes back.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, AtomicU8, Ordering};

/// The socket descriptor of a connection; -1 when unknown.
pub type Socket = i32;

const NO_SOCKET: Socket = -1;
const IDLE: u8 = 0;
const RUNNING: u8 = 1;
const KILLED: u8 = 2;

/// Shared between the blocking task that runs database work and the async
/// side that waits for it with a deadline.
#[derive(Default)]
pub struct Watch {
    state: AtomicU8,
    socket: AtomicI32,
}

impl Watch {
    pub fn new() -> Arc<Watch> {
        Arc::new(Watch {
            state: AtomicU8::new(IDLE),
            socket: AtomicI32::new(NO_SOCKET),
        })
    }

    /// The work is about to run on the connection whose socket is `socket`.
    /// False when the deadline already passed (do not start).
    pub fn arm(&self, socket: Option<Socket>) -> bool {
        self.socket
            .store(socket.unwrap_or(NO_SOCKET), Ordering::SeqCst);
        self.state
            .compare_exchange(IDLE, RUNNING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// The work finished. False when the watchdog shut the socket down
    /// meanwhile: the connection is unusable.
    pub fn disarm(&self) -> bool {
        self.state
            .compare_exchange(RUNNING, IDLE, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }

    /// The deadline passed: stop work that has not started, and cut the
    /// connection of work that is running. The state change comes first,
    /// so a task that has already finished never has its (healthy, pooled)
    /// connection cut.
    pub fn expire(&self) {
        if self.state.swap(KILLED, Ordering::SeqCst) == RUNNING {
            shut_down(self.socket.load(Ordering::SeqCst));
        }
    }
}

#[cfg(target_os = "linux")]
fn shut_down(socket: Socket) {
    if socket >= 0 {
        // SAFETY: shutdown(2) on a descriptor only changes the state of that
        // socket; the descriptor stays open and owned by libpq, which sees
        // the connection end and reports an error.
        unsafe {
            libc::shutdown(socket, libc::SHUT_RDWR);
        }
        tracing::warn!("database work passed its deadline; its connection was cut");
    }
}

#[cfg(not(target_os = "linux"))]
fn shut_down(_socket: Socket) {}

/// Finds the socket a connection opened: the descriptors that are new
/// sockets connected to `port` after `open` ran. Connections are opened one
/// at a time (under a lock), so exactly one new socket is ours; anything
/// ambiguous gives `None` (that connection is then only bounded by the
/// server's timeouts).
#[cfg(target_os = "linux")]
pub fn socket_opened_by<T, E>(
    port: Option<u16>,
    open: impl FnOnce() -> Result<T, E>,
) -> Result<(T, Option<Socket>), E> {
    static OPENING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = OPENING.lock().unwrap_or_else(|p| p.into_inner());
    let before = sockets();
    let opened = open()?;
    let new: Vec<Socket> = sockets()
        .into_iter()
        .filter(|fd| !before.contains(fd))
        .filter(|&fd| port.is_none_or(|port| peer_port(fd).is_none_or(|p| p == port)))
        .collect();
    let socket = match new.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    Ok((opened, socket))
}

#[cfg(not(target_os = "linux"))]
pub fn socket_opened_by<T, E>(
    _port: Option<u16>,
    open: impl FnOnce() -> Result<T, E>,
) -> Result<(T, Option<Socket>), E> {
    open().map(|opened| (opened, None))
}

/// The open descriptors of this process that are sockets.
#[cfg(target_os = "linux")]
fn sockets() -> Vec<Socket> {
    let Ok(entries) = std::fs::read_dir("/proc/self/fd") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<Socket>().ok())
        .filter(|&fd| is_socket(fd))
        .collect()
}

#[cfg(target_os = "linux")]
fn is_socket(fd: Socket) -> bool {
    // SAFETY: fstat writes into the zeroed struct we own; an fd that closed
    // meanwhile only makes it fail.
    unsafe {
        let mut stat: libc::stat = std::mem::zeroed();
        libc::fstat(fd, &mut stat) == 0 && (stat.st_mode & libc::S_IFMT) == libc::S_IFSOCK
    }
}

/// The remote port of a TCP socket; `None` for other sockets (Unix).
#[cfg(target_os = "linux")]
fn peer_port(fd: Socket) -> Option<u16> {
    // SAFETY: getpeername writes at most `len` bytes into the storage we own.
    unsafe {
        let mut addr: libc::sockaddr_storage = std::mem::zeroed();
        let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        if libc::getpeername(fd, (&raw mut addr).cast(), &mut len) != 0 {
            return None;
        }
        match i32::from(addr.ss_family) {
            libc::AF_INET => {
                let v4: &libc::sockaddr_in = &*(&raw const addr).cast();
                Some(u16::from_be(v4.sin_port))
            }
            libc::AF_INET6 => {
                let v6: &libc::sockaddr_in6 = &*(&raw const addr).cast();
                Some(u16::from_be(v6.sin6_port))
            }
            _ => None,
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::net::{TcpListener, TcpStream};

    #[test]
    fn the_socket_a_connection_opened_is_found_and_cutting_it_unblocks_a_read() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (stream, socket) =
            socket_opened_by(Some(port), || TcpStream::connect(("127.0.0.1", port))).unwrap();
        let socket = socket.expect("the new socket is found");
        let _server_side = listener.accept().unwrap();

        let watch = Watch::new();
        assert!(watch.arm(Some(socket)));
        let reader = std::thread::spawn(move || {
            let mut stream = stream;
            // Blocks: the server side never writes.
            stream.read(&mut [0u8; 16])
        });
        std::thread::sleep(std::time::Duration::from_millis(100));
        watch.expire();
        let read = reader.join().unwrap();
        assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
        assert!(!watch.disarm(), "the work learns its connection was cut");
    }

    #[test]
    fn work_that_finished_before_the_deadline_keeps_its_connection() {
        let watch = Watch::new();
        assert!(watch.arm(None));
        assert!(watch.disarm());
        watch.expire();
        assert!(!watch.arm(None), "expired work does not start");
    }
}
