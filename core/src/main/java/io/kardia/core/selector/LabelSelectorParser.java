package io.kardia.core.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lexer and recursive-descent parser for label selector strings, following the grammar of
 * apimachinery's {@code labels.Parse} (same tokens, same acceptance, similar messages), with the
 * character position added to every error.
 */
final class LabelSelectorParser {

    private enum Tok {
        END("end of string"), CLOSED_PAR(")"), COMMA(","), DOES_NOT_EXIST("!"), DOUBLE_EQUALS("=="),
        EQUALS("="), GREATER_THAN(">"), IDENTIFIER("identifier"), IN("in"), LESS_THAN("<"),
        NOT_EQUALS("!="), NOT_IN("notin"), OPEN_PAR("(");

        final String text;

        Tok(String text) {
            this.text = text;
        }
    }

    private record Token(Tok tok, String literal, int pos) {
        String shown() {
            return tok == Tok.END ? "end of string" : literal;
        }
    }

    private final String input;
    private final List<Token> tokens;
    private int next;

    LabelSelectorParser(String input) {
        this.input = input;
        this.tokens = lex(input);
    }

    List<Requirement> parse() {
        List<Requirement> out = new ArrayList<>();
        while (true) {
            Token t = lookahead(true);
            switch (t.tok) {
                case IDENTIFIER, DOES_NOT_EXIST -> {
                    out.add(parseRequirement());
                    Token sep = consume(true);
                    if (sep.tok == Tok.END) {
                        return out;
                    }
                    if (sep.tok != Tok.COMMA) {
                        throw error(sep, "',' or 'end of string'");
                    }
                    Token after = lookahead(true);
                    if (after.tok != Tok.IDENTIFIER && after.tok != Tok.DOES_NOT_EXIST) {
                        throw error(after, "identifier after ','");
                    }
                }
                case END -> {
                    return out;
                }
                default -> throw error(t, "'!', identifier, or 'end of string'");
            }
        }
    }

    private Requirement parseRequirement() {
        Operator op = null;
        Token t = consume(true);
        if (t.tok == Tok.DOES_NOT_EXIST) {
            op = Operator.DOES_NOT_EXIST;
            t = consume(true);
        }
        if (t.tok != Tok.IDENTIFIER) {
            throw error(t, "identifier");
        }
        String key = t.literal;
        Token la = lookahead(true);
        if (la.tok == Tok.END || la.tok == Tok.COMMA) {
            return build(t, key, op == null ? Operator.EXISTS : op, List.of());
        }
        if (op == Operator.DOES_NOT_EXIST) {
            // "!a=b" makes no sense: Kubernetes rejects it too.
            throw error(la, "',' or 'end of string' after '!" + key + "'");
        }
        Token opTok = consume(false);
        op = switch (opTok.tok) {
            case IN -> Operator.IN;
            case NOT_IN -> Operator.NOT_IN;
            case EQUALS -> Operator.EQUALS;
            case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
            case NOT_EQUALS -> Operator.NOT_EQUALS;
            case GREATER_THAN -> Operator.GREATER_THAN;
            case LESS_THAN -> Operator.LESS_THAN;
            default -> throw error(opTok, "one of '=', '==', '!=', 'in', 'notin', '>', '<'");
        };
        List<String> values = (op == Operator.IN || op == Operator.NOT_IN) ? parseValues() : parseExactValue();
        return build(t, key, op, values);
    }

    private Requirement build(Token keyTok, String key, Operator op, List<String> values) {
        try {
            return new Requirement(key, op, values);
        } catch (SelectorParseException e) {
            throw new SelectorParseException("unable to parse requirement at position " + keyTok.pos
                    + " of \"" + input + "\": " + e.getMessage());
        }
    }

    private List<String> parseValues() {
        Token open = consume(true);
        if (open.tok != Tok.OPEN_PAR) {
            throw error(open, "'('");
        }
        Token la = lookahead(true);
        switch (la.tok) {
            case IDENTIFIER, COMMA -> {
                Set<String> s = parseIdentifierList();
                Token close = consume(true);
                if (close.tok != Tok.CLOSED_PAR) {
                    throw error(close, "')'");
                }
                return List.copyOf(s);
            }
            case CLOSED_PAR -> {
                consume(true);
                return List.of(""); // "k in ()" means the empty value, as in Kubernetes
            }
            default -> throw error(la, "',', ')' or identifier");
        }
    }

    private Set<String> parseIdentifierList() {
        Set<String> s = new TreeSet<>();
        while (true) {
            Token t = consume(true);
            switch (t.tok) {
                case IDENTIFIER -> {
                    s.add(t.literal);
                    Token la = lookahead(true);
                    if (la.tok == Tok.COMMA) {
                        continue;
                    }
                    if (la.tok == Tok.CLOSED_PAR) {
                        return s;
                    }
                    throw error(la, "',' or ')'");
                }
                case COMMA -> {
                    // "(,a", "a,,b" and "a,)" stand for empty values, as Kubernetes reads them.
                    if (s.isEmpty()) {
                        s.add("");
                    }
                    Token la = lookahead(true);
                    if (la.tok == Tok.CLOSED_PAR) {
                        s.add("");
                        return s;
                    }
                    if (la.tok == Tok.COMMA) {
                        consume(true);
                        s.add("");
                    }
                }
                default -> throw error(t, "',', or identifier");
            }
        }
    }

    private List<String> parseExactValue() {
        Token la = lookahead(true);
        if (la.tok == Tok.END || la.tok == Tok.COMMA) {
            return List.of(""); // "a=" selects the empty value
        }
        Token t = consume(true);
        if (t.tok == Tok.IDENTIFIER) {
            return List.of(t.literal);
        }
        throw error(t, "identifier");
    }

    /** In value context the keywords {@code in}/{@code notin} are plain identifiers. */
    private Token consume(boolean values) {
        Token t = tokens.get(next);
        if (next < tokens.size() - 1) {
            next++;
        }
        return values ? asValue(t) : t;
    }

    private Token lookahead(boolean values) {
        Token t = tokens.get(next);
        return values ? asValue(t) : t;
    }

    private static Token asValue(Token t) {
        return t.tok == Tok.IN || t.tok == Tok.NOT_IN ? new Token(Tok.IDENTIFIER, t.literal, t.pos) : t;
    }

    private SelectorParseException error(Token found, String expected) {
        return new SelectorParseException("unable to parse label selector \"" + input + "\" at position "
                + found.pos + ": found '" + found.shown() + "', expected: " + expected);
    }

    // ---- lexer ----

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    private static Tok special(String s) {
        return switch (s) {
            case ")" -> Tok.CLOSED_PAR;
            case "," -> Tok.COMMA;
            case "!" -> Tok.DOES_NOT_EXIST;
            case "==" -> Tok.DOUBLE_EQUALS;
            case "=" -> Tok.EQUALS;
            case ">" -> Tok.GREATER_THAN;
            case "<" -> Tok.LESS_THAN;
            case "!=" -> Tok.NOT_EQUALS;
            case "(" -> Tok.OPEN_PAR;
            default -> null;
        };
    }

    private List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                out.add(new Token(Tok.END, "", n));
                return out;
            }
            char c = s.charAt(i);
            int start = i;
            if (isSpecial(c)) {
                // Longest run of special characters that still forms an operator ("!=", "==").
                Tok last = null;
                int lastEnd = i;
                int j = i;
                while (j < n && isSpecial(s.charAt(j))) {
                    Tok t = special(s.substring(i, j + 1));
                    if (t != null) {
                        last = t;
                        lastEnd = j + 1;
                    } else if (last != null) {
                        break;
                    }
                    j++;
                }
                if (last == null) {
                    throw new SelectorParseException("unable to parse label selector \"" + input + "\" at position "
                            + start + ": unknown operator '" + s.substring(i, j) + "'");
                }
                out.add(new Token(last, s.substring(i, lastEnd), start));
                i = lastEnd;
            } else {
                int j = i;
                while (j < n && !isSpecial(s.charAt(j)) && !isWhitespace(s.charAt(j))) {
                    j++;
                }
                String word = s.substring(i, j);
                Tok t = switch (word) {
                    case "in" -> Tok.IN;
                    case "notin" -> Tok.NOT_IN;
                    default -> Tok.IDENTIFIER;
                };
                out.add(new Token(t, word, start));
                i = j;
            }
        }
    }
}
