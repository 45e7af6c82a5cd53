-- In a cluster, which member holds a call's live leg and which member sent a message that waits for its
-- SIP answer (the member's Hazelcast UUID; NULL on a single instance). When a member dies, the member that
-- takes over its users closes its open calls and takes over its unanswered messages by these columns.
ALTER TABLE SIPGW_CALL ADD COLUMN LEG_MEMBER VARCHAR(64);
ALTER TABLE SIPGW_MESSAGE ADD COLUMN SENDING_MEMBER VARCHAR(64);
