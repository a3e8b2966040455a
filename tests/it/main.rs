//! The integration tests: the app over HTTP on a real database, SQLite and PostgreSQL.

mod harness;

mod access;
mod auth;
mod browser;
mod calendar;
mod cli;
mod dashboard;
mod documents;
mod edge;
mod forms;
mod grants;
mod headers;
mod hostile;
mod members;
mod migrations;
mod notifications;
mod orgs;
mod papers;
mod plans;
mod review;
mod sessions;
mod states;
mod storage;
mod typesetting;
