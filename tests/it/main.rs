//! The integration tests: the app over HTTP on a real database, SQLite and PostgreSQL.

mod harness;

mod access;
mod auth;
mod cli;
mod members;
mod migrations;
mod notifications;
mod orgs;
mod plans;
