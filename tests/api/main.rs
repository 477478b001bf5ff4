//! bookbridge's integration tests: the real Rocket, through its local client, each test on
//! its own fresh database (SQLite in a temp folder; Postgres when `TEST_DATABASE_URL` is set).

mod accounts;
mod admin;
mod books;
mod boxes;
mod browser;
mod browser_boxes;
mod browser_round_two;
mod browser_wishes;
mod child_wishes;
mod compression;
mod concurrency;
mod crash;
mod deadlines;
mod editions;
mod email;
mod errors;
mod helpers;
mod hostile;
mod housekeeping;
mod import_crash;
mod imports;
mod lifecycle;
mod metadata;
mod metrics;
mod nodes;
mod pages;
mod pledges;
mod schools;
mod search;
mod seed;
mod shelves;
mod vetting;
mod web;
mod webhooks;
mod wishlists;
