package io.capstan.quality.serving;

import io.capstan.error.CapstanException;
import io.capstan.registry.PromotionService;
import io.capstan.registry.RegistryStore;
import io.capstan.registry.Revision;
import java.util.Optional;

/** {@link ServingControl} on the registry's store, with its promotions audited as every other change is. */
public final class RegistryServingControl implements ServingControl {
    /** The actor the audit trail names for a quality check's action. */
    public static final String ACTOR = "capstan-quality";

    private final RegistryStore store;
    private final PromotionService promotions;

    public RegistryServingControl(RegistryStore store, PromotionService promotions) {
        this.store = store;
        this.promotions = promotions;
    }

    @Override
    public Served served(String model) {
        return store.model(model).map(Revision::value).map(found -> new Served(found.tags(), found.aliases()))
                .orElse(Served.NONE);
    }

    @Override
    public String promote(String model, String champion, String challenger, String reason) {
        try {
            promotions.promote(model, "champion", Long.parseLong(challenger), Optional.of(Long.parseLong(champion)),
                    ACTOR, reason);
        } catch (CapstanException e) {
            return "not promoted: " + e.getMessage();
        }
        promotions.clearTrafficPolicy(model, ACTOR, reason);
        return "promoted v" + challenger + " to champion and ended the traffic split";
    }

    @Override
    public String endCanary(String model, String reason) {
        promotions.clearTrafficPolicy(model, ACTOR, reason);
        return "ended the traffic split: the champion serves alone";
    }
}
