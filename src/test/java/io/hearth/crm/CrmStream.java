package io.hearth.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream of CRM commands as the pipeline would emit them: for each mention, its Social_Mention__c upsert followed by
 * its author's Contact aggregate update (mention count so far, last mention time, sentiment), so the later updates of
 * a contact carry the final values.
 */
final class CrmStream {

    record Expected(int mentions, Instant lastAt) {
    }

    final List<CrmCommand> commands = new ArrayList<>();
    final Map<String, Expected> contacts = new LinkedHashMap<>();

    static CrmStream mentions(String prefix, int mentions, int contacts) {
        CrmStream s = new CrmStream();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        for (int i = 0; i < mentions; i++) {
            String contact = SandboxClient.contactId(1 + (i * 7) % contacts);
            Instant at = t0.plusSeconds(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Contact__c", contact);
            m.put("Channel__c", "x");
            m.put("Author_Handle__c", "user" + (1 + (i * 7) % contacts));
            m.put("Text__c", "mention " + i + " of " + prefix);
            m.put("Posted_At__c", at.toString());
            m.put("Kind__c", "post");
            s.commands.add(CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:" + prefix + "-" + i, m));
            int n = counts.merge(contact, 1, Integer::sum);
            Map<String, Object> agg = new LinkedHashMap<>();
            agg.put("Social_Mentions_30d__c", n);
            agg.put("Social_Last_Mention_At__c", at.toString());
            s.commands.add(CrmCommand.update("Contact", contact, agg));
            s.contacts.put(contact, new Expected(n, at));
        }
        return s;
    }

    int upserts() {
        return (int) commands.stream().filter(c -> c.op() == CrmCommand.Op.upsert).count();
    }
}
