-- Sessions kept on the server: a cookie is worth something only while its row is here. Logout deletes the row; a
-- password change or a deactivation deletes every row of the user, whoever makes it (the login page, `host users`,
-- SQL).
CREATE TABLE web_session (
    sid varchar PRIMARY KEY,
    uid bigint NOT NULL REFERENCES res_users (id) ON DELETE CASCADE,
    created timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_session_uid_index ON web_session (uid);

CREATE FUNCTION web_session_revoke() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM web_session WHERE uid = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER web_session_revoke AFTER UPDATE OF password, active ON res_users
    FOR EACH ROW WHEN (NEW.password IS DISTINCT FROM OLD.password OR NOT NEW.active) EXECUTE FUNCTION web_session_revoke();
