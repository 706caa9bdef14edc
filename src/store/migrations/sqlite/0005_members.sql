-- 0005_members: account members and invites (see MembershipRow in src/store/rows.h).
--
-- An invite is a membership that is not yet accepted, and it may name an e-mail that has no user
-- yet: user_id becomes nullable (SQLite cannot relax a column in place, so the table is rebuilt),
-- and every membership carries its e-mail, the inviter and the invite's expiry. One membership
-- per (account, e-mail).
--
-- Every membership before this version is an account creator's own (bootstrap), written with
-- the role "Administrator"; the creator of an account is its Super Administrator (the one who
-- may manage members), so those rows are given that role.
CREATE TABLE memberships_v5 (
  id         TEXT NOT NULL PRIMARY KEY,
  user_id    TEXT REFERENCES users (id),
  email      TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  status     TEXT NOT NULL CHECK (status IN ('accepted', 'pending', 'rejected')),
  roles_json TEXT NOT NULL CHECK (json_valid(roles_json)),
  invited_by TEXT NOT NULL,
  expires_on INTEGER,
  created_on INTEGER NOT NULL
) STRICT;
INSERT INTO memberships_v5
  (id, user_id, email, account_id, status, roles_json, invited_by, expires_on, created_on)
SELECT m.id, m.user_id, u.email, m.account_id, m.status,
       CASE WHEN m.roles_json = '["Administrator"]' AND m.status = 'accepted'
            THEN '["Super Administrator - All Privileges"]' ELSE m.roles_json END,
       '', NULL, m.created_on
  FROM memberships m JOIN users u ON u.id = m.user_id;
DROP TABLE memberships;
ALTER TABLE memberships_v5 RENAME TO memberships;
-- listMembershipsOfUser in its order (created_on, id).
CREATE INDEX memberships_user ON memberships (user_id, created_on, id);
-- listMembershipsOfAccount in its order, and the one-per-e-mail rule.
CREATE INDEX memberships_account ON memberships (account_id, created_on, id);
CREATE UNIQUE INDEX memberships_account_email ON memberships (account_id, email);
-- claimInvites: the invites still waiting for a user.
CREATE INDEX memberships_unclaimed ON memberships (email) WHERE user_id IS NULL;

-- The instance admin (the Nubis-only user admin API) is the bootstrap user: the first user of a
-- data dir that predates this version. A fresh data dir gets it from the bootstrap.
INSERT OR IGNORE INTO meta (key, value)
  SELECT 'instance_admin', id FROM users ORDER BY created_on, id LIMIT 1;
