package io.kardia.store.cel;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import java.util.List;
import java.util.Optional;

/** Several type providers as one: a name is looked up in each, in order. */
public record CombinedCelTypes(List<CelTypeProvider> providers) implements CelTypeProvider {
    public static CombinedCelTypes of(CelTypeProvider... providers) {
        return new CombinedCelTypes(List.of(providers));
    }

    @Override
    public ImmutableCollection<CelType> types() {
        ImmutableList.Builder<CelType> all = ImmutableList.builder();
        providers.forEach(p -> all.addAll(p.types()));
        return all.build();
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        for (CelTypeProvider p : providers) {
            Optional<CelType> t = p.findType(typeName);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }
}
