package io.hearth.enrich;

import java.util.List;

import io.hearth.crm.CrmCommand;

/**
 * A decision over a scored mention that becomes CRM writes (advocate flags, rewards, service cases). Every Spring bean
 * of this type is asked, in {@code @Order}, after the mention's own record and its contact's aggregates. A judge applies
 * its own consent rules ({@link JudgedMention#consented()}); its commands must be idempotent (deterministic external
 * ids), since a mention can be judged twice after a crash.
 */
public interface MentionJudge {

    List<CrmCommand> judge(JudgedMention mention);
}
