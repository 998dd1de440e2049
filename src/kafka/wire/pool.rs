//! Open connections to the brokers of one cluster, opened on first use and reused.

use std::collections::BTreeMap;
use std::time::Duration;

use super::connection::{Connection, Security, WireError};

/// One connection per broker address, opened when first needed.
pub struct Pool {
    security: Security,
    timeout: Duration,
    open: BTreeMap<(String, u16), Connection>,
}

impl Pool {
    /// An empty pool; `timeout` bounds connecting and each request.
    pub fn new(security: Security, timeout: Duration) -> Pool {
        Pool {
            security,
            timeout,
            open: BTreeMap::new(),
        }
    }

    /// The connection to `host:port`, opened (and authenticated) when there is none.
    pub fn get(&mut self, host: &str, port: u16) -> Result<&mut Connection, WireError> {
        let key = (host.to_owned(), port);
        if !self.open.contains_key(&key) {
            let connection = Connection::open(host, port, &self.security, self.timeout)?;
            self.open.insert(key.clone(), connection);
        }
        Ok(self.open.get_mut(&key).expect("inserted above"))
    }

    /// Drops the connection to `host:port` (after an I/O error: the next use reconnects).
    pub fn forget(&mut self, host: &str, port: u16) {
        self.open.remove(&(host.to_owned(), port));
    }
}
