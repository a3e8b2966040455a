//! Everyday operation (issue 13): search that ignores diacritics, the first run in a browser,
//! moving units, reminders that follow a moved date, backups under load, and the deployment
//! example of the README. (Links in e-mails are tested with the e-mails, in `notifications`.)

mod backup;
mod deployment;
mod first_run;
mod moves;
mod reminders;
mod search;
