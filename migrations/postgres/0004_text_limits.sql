-- Every text a person types has a length limit that fits its purpose (domain::text::limit:
-- SHORT 50, EMAIL 254, NAME 200, TITLE 1000, PARAGRAPH 10000 characters). The web edge refuses
-- longer input with a message beside the field; these checks are the last line behind it, so
-- no other path can store a megabyte in a plan, its revisions and its documents.
-- NOT VALID: rows stored before the limits are left as they are; every new or changed row is
-- checked.
ALTER TABLE users ADD CONSTRAINT users_login_length CHECK (char_length(login) <= 200) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_full_name_length CHECK (char_length(full_name) <= 200) NOT VALID;
ALTER TABLE users ADD CONSTRAINT users_email_length CHECK (char_length(email) <= 254) NOT VALID;
ALTER TABLE orgs ADD CONSTRAINT orgs_name_length CHECK (char_length(name) <= 200) NOT VALID;
ALTER TABLE orgs ADD CONSTRAINT orgs_superior_name_length CHECK (char_length(superior_name) <= 200) NOT VALID;
ALTER TABLE orgs ADD CONSTRAINT orgs_abbreviation_length CHECK (char_length(abbreviation) <= 50) NOT VALID;
ALTER TABLE orgs ADD CONSTRAINT orgs_place_name_length CHECK (char_length(place_name) <= 200) NOT VALID;
ALTER TABLE members ADD CONSTRAINT members_full_name_length CHECK (char_length(full_name) <= 200) NOT VALID;
ALTER TABLE members ADD CONSTRAINT members_phone_length CHECK (char_length(phone) <= 50) NOT VALID;
ALTER TABLE members ADD CONSTRAINT members_email_length CHECK (char_length(email) <= 254) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_number_kind_length CHECK (char_length(number_kind) <= 50) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_number_issuer_length CHECK (char_length(number_issuer) <= 50) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_place_length CHECK (char_length(place) <= 200) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_subject_length CHECK (char_length(subject) <= 1000) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_basis_lead_length CHECK (char_length(basis_lead) <= 10000) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_basis_closing_length CHECK (char_length(basis_closing) <= 10000) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_archive_length CHECK (char_length(archive) <= 200) NOT VALID;
ALTER TABLE plans ADD CONSTRAINT plans_signer_name_length CHECK (char_length(signer_name) <= 200) NOT VALID;
ALTER TABLE plan_texts ADD CONSTRAINT plan_texts_body_length CHECK (char_length(body) <= 10000) NOT VALID;
ALTER TABLE plan_basis ADD CONSTRAINT plan_basis_number_length CHECK (char_length(number) <= 200) NOT VALID;
ALTER TABLE plan_basis ADD CONSTRAINT plan_basis_issuer_length CHECK (char_length(issuer) <= 200) NOT VALID;
ALTER TABLE plan_basis ADD CONSTRAINT plan_basis_subject_length CHECK (char_length(subject) <= 1000) NOT VALID;
ALTER TABLE plan_recipients ADD CONSTRAINT plan_recipients_name_length CHECK (char_length(name) <= 1000) NOT VALID;
ALTER TABLE topics ADD CONSTRAINT topics_title_length CHECK (char_length(title) <= 1000) NOT VALID;
ALTER TABLE topics ADD CONSTRAINT topics_content_length CHECK (char_length(content) <= 10000) NOT VALID;
ALTER TABLE topics ADD CONSTRAINT topics_presenter_text_length CHECK (char_length(presenter_text) <= 200) NOT VALID;
ALTER TABLE topics ADD CONSTRAINT topics_mandate_length CHECK (char_length(mandate) <= 1000) NOT VALID;
ALTER TABLE topics ADD CONSTRAINT topics_materials_length CHECK (char_length(materials) <= 10000) NOT VALID;
ALTER TABLE topics ADD CONSTRAINT topics_deadline_text_length CHECK (char_length(deadline_text) <= 1000) NOT VALID;
ALTER TABLE steps ADD CONSTRAINT steps_label_length CHECK (char_length(label) <= 200) NOT VALID;
ALTER TABLE steps ADD CONSTRAINT steps_note_length CHECK (char_length(note) <= 1000) NOT VALID;
ALTER TABLE plan_events ADD CONSTRAINT plan_events_comment_length CHECK (char_length(comment) <= 10000) NOT VALID;
ALTER TABLE review_comments ADD CONSTRAINT review_comments_body_length CHECK (char_length(body) <= 10000) NOT VALID;
