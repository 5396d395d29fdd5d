package io.kardia.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tables taken from apimachinery's labels package tests and the Kubernetes label docs. */
class SelectorParseTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "x=a,y=b,z=c", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5",
        "this-is-a-dns.domain.com/and-a-name",
        "this-is-another-dns.domain.com/and-another-name in (so,what)",
        "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
        "foo  in\t (abc)", "x notin\n (abc)", "x  notin\t\t\t(abc,def)", "x in (abc,def)", "x in (abc,)",
        "x in ()", "x notin (abc,,def),bar,z in (),w", "x,y in (a)", "x=a", "x<7", "x=a,y!=b",
        "x=a,y!=b,z in (h,i,j)", "x notin ( )", "x notin (, a)", "a ", "a in (x,y,notin, z,in)",
        "notin=in", "environment in (production, qa)", "tier notin (frontend, backend)", "partition",
        "!partition", "environment=production,tier!=frontend", "x==y",
    })
    void acceptsWhatKubernetesAccepts(String s) {
        Selector sel = Selector.parse(s);
        assertThat(Selector.parse(sel.toString())).as("canonical form re-parses equal").isEqualTo(sel);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "x=a||y=b", "x==a==b", "!x=a", "x<a", "x,,y", ",x,y", "x nott in (y)", "a in (xyz),",
        "a in (xyz)b notin ()", "a in (xyz abc)", "a notin(", "a (", "(", "x=a b", "x in a", "=a",
        "x/y/z=a", "-x=a", "x-=a", "x=-a", "x=a-", "/x", "Example.com/x=a", "x in (a,-b)",
        "x>a", "x>1.5", "x in (a", "x notin", "x !== a", "x =! a", "x=(a)",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=b",
        "a=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    })
    void rejectsWhatKubernetesRejects(String s) {
        assertThatThrownBy(() -> Selector.parse(s))
                .isInstanceOf(SelectorParseException.class)
                .hasMessageContaining(s.length() > 30 ? "" : s);
    }

    @Test
    void errorsNamePositionAndExpectation() {
        assertThatThrownBy(() -> Selector.parse("a=b,c in (x y)"))
                .hasMessage("unable to parse label selector \"a=b,c in (x y)\" at position 12: found 'y', "
                        + "expected: ',' or ')'");
        assertThatThrownBy(() -> Selector.parse("a=b,,c"))
                .hasMessageContaining("at position 4: found ',', expected: identifier after ','");
        assertThatThrownBy(() -> Selector.parse("a foo b"))
                .hasMessageContaining("at position 2: found 'foo', expected: one of '=', '==', '!=', 'in', 'notin'");
        assertThatThrownBy(() -> Selector.parse("a in (x"))
                .hasMessageContaining("found 'end of string', expected: ',' or ')'");
        assertThatThrownBy(() -> Selector.parse("a/b/c"))
                .hasMessageContaining("position 0").hasMessageContaining("invalid label key \"a/b/c\"");
        assertThatThrownBy(() -> Selector.parse("ok=1,k=-v"))
                .hasMessageContaining("position 5").hasMessageContaining("invalid label value \"-v\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "x in (foo,,baz),y,z notin ()               | x in (,baz,foo),y,z notin ()",
        "'  x  in  (  foo  ,  ,  baz  )  ,  y  ,  z  notin  (  )  ' | x in (,baz,foo),y,z notin ()",
        "z=b,a!=c,m                                 | a!=c,m,z=b",
        "x==a                                       | x==a",
        "!b,a                                       | a,!b",
        "x in (b,a,b)                               | x in (a,b)",
        "x>1,x<9                                    | x>1,x<9",
    })
    void canonicalString(String in, String canonical) {
        assertThat(Selector.parse(in).toString()).isEqualTo(canonical);
    }

    @Test
    void blankIsEverything() {
        assertThat(Selector.parse(null)).isSameAs(Selector.EVERYTHING);
        assertThat(Selector.parse("  ")).isSameAs(Selector.EVERYTHING);
        assertThat(Selector.EVERYTHING.toString()).isEmpty();
        assertThat(Selector.EVERYTHING.isEmpty()).isTrue();
        assertThat(Selector.parse("a").isEmpty()).isFalse();
    }

    @Test
    void nothingMatchesNothingAndIsNotEmptyOnTheWire() {
        assertThat(Selector.NOTHING.matches(Map.of())).isFalse();
        assertThat(Selector.NOTHING.matches(Map.of("kardia.io/nothing", ""))).isFalse();
        assertThat(Selector.NOTHING.isEmpty()).isFalse();
        Selector reparsed = Selector.parse(Selector.NOTHING.toString());
        assertThat(reparsed.matches(Map.of())).isFalse();
        assertThat(reparsed.matches(Map.of("kardia.io/nothing", "x"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                        | x=y          | true",
        "x=y                       | x=y          | true",
        "x=y,z=w                   | x=y,z=w      | true",
        "x!=y,z!=w                 | x=z,z=a      | true",
        "notin=in                  | notin=in     | true",
        "x                         | x=z          | true",
        "!x                        | y=z          | true",
        "x>1                       | x=2          | true",
        "x<1                       | x=0          | true",
        "x=z                       | ''           | false",
        "x=y                       | x=z          | false",
        "x=y,z=w                   | x=w,z=w      | false",
        "x!=y,z!=w                 | x=z,z=w      | false",
        "x                         | y=z          | false",
        "!x                        | x=z          | false",
        "x>1                       | x=0          | false",
        "x<1                       | x=2          | false",
        "x>1                       | x=abc        | false",
        "x>1                       | ''           | false",
        "foo=bar,baz=blah          | foo=bar,baz=blah | true",
        "foo=bar,foobar=bar,baz=blah | foo=bar,baz=blah | false",
        "x in (a,b)                | x=b          | true",
        "x in (a,b)                | x=c          | false",
        "x in (a,b)                | ''           | false",
        "x notin (a,b)             | ''           | true",
        "x notin (a,b)             | x=a          | false",
        "x notin (a,b)             | x=c          | true",
        "x in ()                   | x=           | true",
        "x=                        | x=           | true",
        "x=                        | ''           | false",
        "x!=                       | ''           | true",
        "env in (prod,qa),tier notin (frontend),partition,!canary | env=qa,tier=backend,partition=a | true",
        "env in (prod,qa),tier notin (frontend),partition,!canary | env=qa,tier=backend,partition=a,canary=1 | false",
    })
    void matches(String selector, String labels, boolean expected) {
        assertThat(Selector.parse(selector).matches(labels(labels))).isEqualTo(expected);
    }

    @Test
    void programmaticSelectorsEqualParsedOnes() {
        assertThat(Selector.of(Requirement.in("b", "y", "x"), Requirement.equal("a", "1")))
                .isEqualTo(Selector.parse("a=1,b in (x,y)"));
        assertThat(Selector.equalTo(Map.of("app", "web")).toString()).isEqualTo("app=web");
        assertThat(Selector.parse("a=1").and(Requirement.doesNotExist("b")).toString()).isEqualTo("a=1,!b");
        assertThat(Selector.parse("a=1,b").requirements()).extracting(Requirement::operator)
                .containsExactly(Operator.EQUALS, Operator.EXISTS);
        assertThatThrownBy(() -> new Requirement("a", Operator.IN, List.of()))
                .isInstanceOf(SelectorParseException.class).hasMessageContaining("values set can't be empty");
        assertThatThrownBy(() -> new Requirement("a", Operator.EXISTS, List.of("x")))
                .hasMessageContaining("values set must be empty");
    }

    private static Map<String, String> labels(String s) {
        Map<String, String> m = new HashMap<>();
        if (s == null || s.isEmpty()) {
            return m;
        }
        for (String kv : s.split(",")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }
}
