//! The reference service of key-model: a tenant API (SSH session
//! recordings, the audit log, exports, `OpenAPI` and Swagger UI), a portal
//! for tenant admins, the platform's operator commands, and the `evidence`
//! command that runs the VN-12 walkthrough against a live instance.
//!
//! The binary (`src/main.rs`) is a thin shell over this library. Where
//! things are:
//!
//! - [`app`]: the shared state (`App`): the key ring, the records (the
//!   tenants, the recordings, the audit log, the portal's sessions), the clock.
//! - [`auth`]: the host authorization layer, the one place that turns a
//!   checked caller into a `TenantScope`.
//! - [`api`]: the tenant API under `/api`, with its `OpenAPI` document.
//! - [`portal`]: the server-rendered portal under `/portal`.
//! - [`server`]: binding, serving, graceful shutdown, and a handle that
//!   runs a service on a background thread (tests, the evidence command).
//! - [`keys`] and [`records`]: where keys and records are kept.
//! - [`evidence`]: the walkthrough, the headless browser and the report.
#![forbid(unsafe_code)]

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod demo;
pub mod dto;
pub mod evidence;
pub mod keys;
pub mod log;
pub mod operator;
pub mod portal;
pub mod problem;
pub mod records;
pub mod server;
