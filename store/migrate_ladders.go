package store

import (
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"github.com/dubanhq/duban/domain"
)

// migrateDeclaredLadders is migration 7. It adds the columns that replace reading facts out
// of JSON and out of level numbers, and fills them for the rows written before:
//   - events.late from the payload of signatures and submissions (the last time a payload
//     is matched as text);
//   - escalations.leadership/circular/accountability, and the ladders stored in plan and
//     item policies, from the meaning levels had until then (domain.LegacyConsequences);
//   - items.started_at from created_at for items already started.
func migrateDeclaredLadders(tx *gorm.DB) error {
	query, exec := tx, tx
	if m, ok := tx.Migrator().(interface{ GetQueryAndExecTx() (*gorm.DB, *gorm.DB) }); ok {
		query, exec = m.GetQueryAndExecTx()
	}
	if err := tx.AutoMigrate(&Event{}, &Escalation{}, &Delivery{}, &Item{}); err != nil {
		return err
	}
	timed := []string{string(domain.EventSigned), string(domain.EventReportSubmitted),
		string(domain.EventContributionSubmitted), string(domain.EventCompletionRequested)}
	for _, late := range []bool{true, false} {
		pattern := fmt.Sprintf(`%%"late":%t%%`, late)
		if err := exec.Model(&Event{}).Where("late IS NULL AND type IN ? AND payload LIKE ?", timed, pattern).
			Update("late", late).Error; err != nil {
			return fmt.Errorf("events.late: %w", err)
		}
	}
	legacy := domain.LegacyConsequences([]domain.Rung{{Level: 3}, {Level: 4}})
	for _, r := range legacy {
		if err := exec.Model(&Escalation{}).Where("level >= ?", r.Level).
			Updates(map[string]any{"leadership": r.Leadership, "circular": r.Circular, "accountability": r.Accountability}).Error; err != nil {
			return fmt.Errorf("escalations: %w", err)
		}
	}
	if err := exec.Model(&Item{}).Where("started_at IS NULL AND status <> ?", string(domain.StatusPending)).
		UpdateColumn("started_at", gorm.Expr("created_at")).Error; err != nil {
		return fmt.Errorf("items.started_at: %w", err)
	}
	if err := rewriteLadders(query, exec, &Plan{}, "plans"); err != nil {
		return err
	}
	return rewriteLadders(query, exec, &Item{}, "items")
}

// rewriteLadders gives every stored ladder in a policy_json column the consequences its
// levels meant when it was written. Only the ladder's rungs change; other keys, including
// those an item's override leaves to its plan, stay exactly as stored.
func rewriteLadders(query, exec *gorm.DB, model any, table string) error {
	if !query.Migrator().HasTable(model) {
		return nil // a dry run on an empty database: nothing is stored yet
	}
	var rows []struct {
		ID         uint64
		PolicyJSON string
	}
	if err := query.Model(model).Select("id", "policy_json").Where("policy_json LIKE ?", `%"ladder"%`).Find(&rows).Error; err != nil {
		return fmt.Errorf("%s.policy_json: %w", table, err)
	}
	for _, r := range rows {
		out, changed, err := legacyLadderJSON(r.PolicyJSON)
		if err != nil {
			return fmt.Errorf("%s %d policy_json: %w", table, r.ID, err)
		}
		if !changed {
			continue
		}
		if err := exec.Model(model).Where("id = ?", r.ID).UpdateColumn("policy_json", out).Error; err != nil {
			return fmt.Errorf("%s %d policy_json: %w", table, r.ID, err)
		}
	}
	return nil
}

// legacyLadderJSON adds leadership/circular/accountability to each rung of a policy's
// ladder that declares none of them.
func legacyLadderJSON(raw string) (string, bool, error) {
	var p map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return "", false, err
	}
	var rungs []map[string]json.RawMessage
	if err := json.Unmarshal(p["ladder"], &rungs); err != nil {
		return "", false, err
	}
	changed := false
	for _, r := range rungs {
		_, a := r["leadership"]
		_, b := r["circular"]
		_, c := r["accountability"]
		if a || b || c {
			continue
		}
		var level int
		_ = json.Unmarshal(r["level"], &level)
		l := domain.LegacyConsequences([]domain.Rung{{Level: level}})[0]
		r["leadership"], r["circular"], r["accountability"] = boolJSON(l.Leadership), boolJSON(l.Circular), boolJSON(l.Accountability)
		changed = true
	}
	if !changed {
		return raw, false, nil
	}
	ladder, err := json.Marshal(rungs)
	if err != nil {
		return "", false, err
	}
	p["ladder"] = ladder
	out, err := json.Marshal(p)
	return string(out), true, err
}

func boolJSON(b bool) json.RawMessage {
	if b {
		return json.RawMessage("true")
	}
	return json.RawMessage("false")
}
