-- Every text a person types has a length limit that fits its purpose (domain::text::limit:
-- SHORT 50, EMAIL 254, NAME 200, TITLE 1000, PARAGRAPH 10000 characters). The web edge refuses
-- longer input with a message beside the field; these checks are the last line behind it, so
-- no other path can store a megabyte in a plan, its revisions and its documents.
-- SQLite cannot add a CHECK to an existing table: a pair of triggers per column does the same
-- (BEFORE INSERT and BEFORE UPDATE, like PostgreSQL's NOT VALID check, which leaves old rows
-- alone and checks every new or changed one). tests/it/migrations.rs reads each pair as the
-- CHECK it stands for.
CREATE TRIGGER users_login_length_insert BEFORE INSERT ON users
WHEN length(NEW.login) > 200
BEGIN SELECT RAISE(ABORT, 'users.login longer than 200 characters'); END;
CREATE TRIGGER users_login_length_update BEFORE UPDATE ON users
WHEN length(NEW.login) > 200
BEGIN SELECT RAISE(ABORT, 'users.login longer than 200 characters'); END;
CREATE TRIGGER users_full_name_length_insert BEFORE INSERT ON users
WHEN length(NEW.full_name) > 200
BEGIN SELECT RAISE(ABORT, 'users.full_name longer than 200 characters'); END;
CREATE TRIGGER users_full_name_length_update BEFORE UPDATE ON users
WHEN length(NEW.full_name) > 200
BEGIN SELECT RAISE(ABORT, 'users.full_name longer than 200 characters'); END;
CREATE TRIGGER users_email_length_insert BEFORE INSERT ON users
WHEN length(NEW.email) > 254
BEGIN SELECT RAISE(ABORT, 'users.email longer than 254 characters'); END;
CREATE TRIGGER users_email_length_update BEFORE UPDATE ON users
WHEN length(NEW.email) > 254
BEGIN SELECT RAISE(ABORT, 'users.email longer than 254 characters'); END;
CREATE TRIGGER orgs_name_length_insert BEFORE INSERT ON orgs
WHEN length(NEW.name) > 200
BEGIN SELECT RAISE(ABORT, 'orgs.name longer than 200 characters'); END;
CREATE TRIGGER orgs_name_length_update BEFORE UPDATE ON orgs
WHEN length(NEW.name) > 200
BEGIN SELECT RAISE(ABORT, 'orgs.name longer than 200 characters'); END;
CREATE TRIGGER orgs_superior_name_length_insert BEFORE INSERT ON orgs
WHEN length(NEW.superior_name) > 200
BEGIN SELECT RAISE(ABORT, 'orgs.superior_name longer than 200 characters'); END;
CREATE TRIGGER orgs_superior_name_length_update BEFORE UPDATE ON orgs
WHEN length(NEW.superior_name) > 200
BEGIN SELECT RAISE(ABORT, 'orgs.superior_name longer than 200 characters'); END;
CREATE TRIGGER orgs_abbreviation_length_insert BEFORE INSERT ON orgs
WHEN length(NEW.abbreviation) > 50
BEGIN SELECT RAISE(ABORT, 'orgs.abbreviation longer than 50 characters'); END;
CREATE TRIGGER orgs_abbreviation_length_update BEFORE UPDATE ON orgs
WHEN length(NEW.abbreviation) > 50
BEGIN SELECT RAISE(ABORT, 'orgs.abbreviation longer than 50 characters'); END;
CREATE TRIGGER orgs_place_name_length_insert BEFORE INSERT ON orgs
WHEN length(NEW.place_name) > 200
BEGIN SELECT RAISE(ABORT, 'orgs.place_name longer than 200 characters'); END;
CREATE TRIGGER orgs_place_name_length_update BEFORE UPDATE ON orgs
WHEN length(NEW.place_name) > 200
BEGIN SELECT RAISE(ABORT, 'orgs.place_name longer than 200 characters'); END;
CREATE TRIGGER members_full_name_length_insert BEFORE INSERT ON members
WHEN length(NEW.full_name) > 200
BEGIN SELECT RAISE(ABORT, 'members.full_name longer than 200 characters'); END;
CREATE TRIGGER members_full_name_length_update BEFORE UPDATE ON members
WHEN length(NEW.full_name) > 200
BEGIN SELECT RAISE(ABORT, 'members.full_name longer than 200 characters'); END;
CREATE TRIGGER members_phone_length_insert BEFORE INSERT ON members
WHEN length(NEW.phone) > 50
BEGIN SELECT RAISE(ABORT, 'members.phone longer than 50 characters'); END;
CREATE TRIGGER members_phone_length_update BEFORE UPDATE ON members
WHEN length(NEW.phone) > 50
BEGIN SELECT RAISE(ABORT, 'members.phone longer than 50 characters'); END;
CREATE TRIGGER members_email_length_insert BEFORE INSERT ON members
WHEN length(NEW.email) > 254
BEGIN SELECT RAISE(ABORT, 'members.email longer than 254 characters'); END;
CREATE TRIGGER members_email_length_update BEFORE UPDATE ON members
WHEN length(NEW.email) > 254
BEGIN SELECT RAISE(ABORT, 'members.email longer than 254 characters'); END;
CREATE TRIGGER plans_number_kind_length_insert BEFORE INSERT ON plans
WHEN length(NEW.number_kind) > 50
BEGIN SELECT RAISE(ABORT, 'plans.number_kind longer than 50 characters'); END;
CREATE TRIGGER plans_number_kind_length_update BEFORE UPDATE ON plans
WHEN length(NEW.number_kind) > 50
BEGIN SELECT RAISE(ABORT, 'plans.number_kind longer than 50 characters'); END;
CREATE TRIGGER plans_number_issuer_length_insert BEFORE INSERT ON plans
WHEN length(NEW.number_issuer) > 50
BEGIN SELECT RAISE(ABORT, 'plans.number_issuer longer than 50 characters'); END;
CREATE TRIGGER plans_number_issuer_length_update BEFORE UPDATE ON plans
WHEN length(NEW.number_issuer) > 50
BEGIN SELECT RAISE(ABORT, 'plans.number_issuer longer than 50 characters'); END;
CREATE TRIGGER plans_place_length_insert BEFORE INSERT ON plans
WHEN length(NEW.place) > 200
BEGIN SELECT RAISE(ABORT, 'plans.place longer than 200 characters'); END;
CREATE TRIGGER plans_place_length_update BEFORE UPDATE ON plans
WHEN length(NEW.place) > 200
BEGIN SELECT RAISE(ABORT, 'plans.place longer than 200 characters'); END;
CREATE TRIGGER plans_subject_length_insert BEFORE INSERT ON plans
WHEN length(NEW.subject) > 1000
BEGIN SELECT RAISE(ABORT, 'plans.subject longer than 1000 characters'); END;
CREATE TRIGGER plans_subject_length_update BEFORE UPDATE ON plans
WHEN length(NEW.subject) > 1000
BEGIN SELECT RAISE(ABORT, 'plans.subject longer than 1000 characters'); END;
CREATE TRIGGER plans_basis_lead_length_insert BEFORE INSERT ON plans
WHEN length(NEW.basis_lead) > 10000
BEGIN SELECT RAISE(ABORT, 'plans.basis_lead longer than 10000 characters'); END;
CREATE TRIGGER plans_basis_lead_length_update BEFORE UPDATE ON plans
WHEN length(NEW.basis_lead) > 10000
BEGIN SELECT RAISE(ABORT, 'plans.basis_lead longer than 10000 characters'); END;
CREATE TRIGGER plans_basis_closing_length_insert BEFORE INSERT ON plans
WHEN length(NEW.basis_closing) > 10000
BEGIN SELECT RAISE(ABORT, 'plans.basis_closing longer than 10000 characters'); END;
CREATE TRIGGER plans_basis_closing_length_update BEFORE UPDATE ON plans
WHEN length(NEW.basis_closing) > 10000
BEGIN SELECT RAISE(ABORT, 'plans.basis_closing longer than 10000 characters'); END;
CREATE TRIGGER plans_archive_length_insert BEFORE INSERT ON plans
WHEN length(NEW.archive) > 200
BEGIN SELECT RAISE(ABORT, 'plans.archive longer than 200 characters'); END;
CREATE TRIGGER plans_archive_length_update BEFORE UPDATE ON plans
WHEN length(NEW.archive) > 200
BEGIN SELECT RAISE(ABORT, 'plans.archive longer than 200 characters'); END;
CREATE TRIGGER plans_signer_name_length_insert BEFORE INSERT ON plans
WHEN length(NEW.signer_name) > 200
BEGIN SELECT RAISE(ABORT, 'plans.signer_name longer than 200 characters'); END;
CREATE TRIGGER plans_signer_name_length_update BEFORE UPDATE ON plans
WHEN length(NEW.signer_name) > 200
BEGIN SELECT RAISE(ABORT, 'plans.signer_name longer than 200 characters'); END;
CREATE TRIGGER plan_texts_body_length_insert BEFORE INSERT ON plan_texts
WHEN length(NEW.body) > 10000
BEGIN SELECT RAISE(ABORT, 'plan_texts.body longer than 10000 characters'); END;
CREATE TRIGGER plan_texts_body_length_update BEFORE UPDATE ON plan_texts
WHEN length(NEW.body) > 10000
BEGIN SELECT RAISE(ABORT, 'plan_texts.body longer than 10000 characters'); END;
CREATE TRIGGER plan_basis_number_length_insert BEFORE INSERT ON plan_basis
WHEN length(NEW.number) > 200
BEGIN SELECT RAISE(ABORT, 'plan_basis.number longer than 200 characters'); END;
CREATE TRIGGER plan_basis_number_length_update BEFORE UPDATE ON plan_basis
WHEN length(NEW.number) > 200
BEGIN SELECT RAISE(ABORT, 'plan_basis.number longer than 200 characters'); END;
CREATE TRIGGER plan_basis_issuer_length_insert BEFORE INSERT ON plan_basis
WHEN length(NEW.issuer) > 200
BEGIN SELECT RAISE(ABORT, 'plan_basis.issuer longer than 200 characters'); END;
CREATE TRIGGER plan_basis_issuer_length_update BEFORE UPDATE ON plan_basis
WHEN length(NEW.issuer) > 200
BEGIN SELECT RAISE(ABORT, 'plan_basis.issuer longer than 200 characters'); END;
CREATE TRIGGER plan_basis_subject_length_insert BEFORE INSERT ON plan_basis
WHEN length(NEW.subject) > 1000
BEGIN SELECT RAISE(ABORT, 'plan_basis.subject longer than 1000 characters'); END;
CREATE TRIGGER plan_basis_subject_length_update BEFORE UPDATE ON plan_basis
WHEN length(NEW.subject) > 1000
BEGIN SELECT RAISE(ABORT, 'plan_basis.subject longer than 1000 characters'); END;
CREATE TRIGGER plan_recipients_name_length_insert BEFORE INSERT ON plan_recipients
WHEN length(NEW.name) > 1000
BEGIN SELECT RAISE(ABORT, 'plan_recipients.name longer than 1000 characters'); END;
CREATE TRIGGER plan_recipients_name_length_update BEFORE UPDATE ON plan_recipients
WHEN length(NEW.name) > 1000
BEGIN SELECT RAISE(ABORT, 'plan_recipients.name longer than 1000 characters'); END;
CREATE TRIGGER topics_title_length_insert BEFORE INSERT ON topics
WHEN length(NEW.title) > 1000
BEGIN SELECT RAISE(ABORT, 'topics.title longer than 1000 characters'); END;
CREATE TRIGGER topics_title_length_update BEFORE UPDATE ON topics
WHEN length(NEW.title) > 1000
BEGIN SELECT RAISE(ABORT, 'topics.title longer than 1000 characters'); END;
CREATE TRIGGER topics_content_length_insert BEFORE INSERT ON topics
WHEN length(NEW.content) > 10000
BEGIN SELECT RAISE(ABORT, 'topics.content longer than 10000 characters'); END;
CREATE TRIGGER topics_content_length_update BEFORE UPDATE ON topics
WHEN length(NEW.content) > 10000
BEGIN SELECT RAISE(ABORT, 'topics.content longer than 10000 characters'); END;
CREATE TRIGGER topics_presenter_text_length_insert BEFORE INSERT ON topics
WHEN length(NEW.presenter_text) > 200
BEGIN SELECT RAISE(ABORT, 'topics.presenter_text longer than 200 characters'); END;
CREATE TRIGGER topics_presenter_text_length_update BEFORE UPDATE ON topics
WHEN length(NEW.presenter_text) > 200
BEGIN SELECT RAISE(ABORT, 'topics.presenter_text longer than 200 characters'); END;
CREATE TRIGGER topics_mandate_length_insert BEFORE INSERT ON topics
WHEN length(NEW.mandate) > 1000
BEGIN SELECT RAISE(ABORT, 'topics.mandate longer than 1000 characters'); END;
CREATE TRIGGER topics_mandate_length_update BEFORE UPDATE ON topics
WHEN length(NEW.mandate) > 1000
BEGIN SELECT RAISE(ABORT, 'topics.mandate longer than 1000 characters'); END;
CREATE TRIGGER topics_materials_length_insert BEFORE INSERT ON topics
WHEN length(NEW.materials) > 10000
BEGIN SELECT RAISE(ABORT, 'topics.materials longer than 10000 characters'); END;
CREATE TRIGGER topics_materials_length_update BEFORE UPDATE ON topics
WHEN length(NEW.materials) > 10000
BEGIN SELECT RAISE(ABORT, 'topics.materials longer than 10000 characters'); END;
CREATE TRIGGER topics_deadline_text_length_insert BEFORE INSERT ON topics
WHEN length(NEW.deadline_text) > 1000
BEGIN SELECT RAISE(ABORT, 'topics.deadline_text longer than 1000 characters'); END;
CREATE TRIGGER topics_deadline_text_length_update BEFORE UPDATE ON topics
WHEN length(NEW.deadline_text) > 1000
BEGIN SELECT RAISE(ABORT, 'topics.deadline_text longer than 1000 characters'); END;
CREATE TRIGGER steps_label_length_insert BEFORE INSERT ON steps
WHEN length(NEW.label) > 200
BEGIN SELECT RAISE(ABORT, 'steps.label longer than 200 characters'); END;
CREATE TRIGGER steps_label_length_update BEFORE UPDATE ON steps
WHEN length(NEW.label) > 200
BEGIN SELECT RAISE(ABORT, 'steps.label longer than 200 characters'); END;
CREATE TRIGGER steps_note_length_insert BEFORE INSERT ON steps
WHEN length(NEW.note) > 1000
BEGIN SELECT RAISE(ABORT, 'steps.note longer than 1000 characters'); END;
CREATE TRIGGER steps_note_length_update BEFORE UPDATE ON steps
WHEN length(NEW.note) > 1000
BEGIN SELECT RAISE(ABORT, 'steps.note longer than 1000 characters'); END;
CREATE TRIGGER plan_events_comment_length_insert BEFORE INSERT ON plan_events
WHEN length(NEW.comment) > 10000
BEGIN SELECT RAISE(ABORT, 'plan_events.comment longer than 10000 characters'); END;
CREATE TRIGGER plan_events_comment_length_update BEFORE UPDATE ON plan_events
WHEN length(NEW.comment) > 10000
BEGIN SELECT RAISE(ABORT, 'plan_events.comment longer than 10000 characters'); END;
CREATE TRIGGER review_comments_body_length_insert BEFORE INSERT ON review_comments
WHEN length(NEW.body) > 10000
BEGIN SELECT RAISE(ABORT, 'review_comments.body longer than 10000 characters'); END;
CREATE TRIGGER review_comments_body_length_update BEFORE UPDATE ON review_comments
WHEN length(NEW.body) > 10000
BEGIN SELECT RAISE(ABORT, 'review_comments.body longer than 10000 characters'); END;
