package io.kardia.core.json;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.Arrays;

/**
 * A small, lossy cache that hands out one shared {@link String} for text decoded again and again
 * (label values, image names, condition types, "True"). Cached objects of one kind repeat most
 * of their strings, so an informer holding thousands of them keeps one copy instead of thousands;
 * a hit also skips the allocation.
 *
 * <p>Bounded by construction: a fixed table of slots, a new string simply replaces whatever
 * shared its slot. Unsynchronised on purpose: a racing read sees either string, and both are
 * correct (an entry and its string are safely published through their final fields).
 */
final class StringCache {
    private static final int SLOTS = 1 << 14;
    /** Longer text is rarely repeated and costly to compare; it is decoded as is. */
    static final int MAX_LENGTH = 128;

    /** A cached string with its chars and hash, published together by one reference write. */
    private record Entry(String string, char[] chars, int hash) {
    }

    private final Entry[] slots = new Entry[SLOTS];
    /**
     * Per slot, the hash of the last string seen there but not cached: a string is cached on its
     * second sighting, so text that never repeats (uids, names) costs no more than without a cache
     * and does not push out text that does.
     */
    private final int[] seen = new int[SLOTS];

    /**
     * The current string token of {@code p}, shared when seen before. Parsers over trees or token
     * buffers hold finished strings: those are looked up as strings, so an object decoded from a
     * tree shares its repeated text too.
     */
    String of(JsonParser p) throws IOException {
        if (p.hasTextCharacters()) {
            return get(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
        }
        String text = p.getText();
        return text == null ? null : get(text);
    }

    /** {@code text} itself, or the equal string already shared. */
    String get(String text) {
        int len = text.length();
        if (len == 0) {
            return "";
        }
        if (len > MAX_LENGTH) {
            return text;
        }
        int h = text.hashCode(); // the same polynomial as the char path
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry cached = slots[slot];
        if (cached != null && cached.hash == h && cached.string.equals(text)) {
            return cached.string;
        }
        if (seen[slot] != h) {
            seen[slot] = h;
            return text;
        }
        slots[slot] = new Entry(text, text.toCharArray(), h);
        return text;
    }

    /** The string for {@code len} chars of {@code buf} from {@code off}, shared when seen before. */
    String get(char[] buf, int off, int len) {
        if (len == 0) {
            return "";
        }
        if (len > MAX_LENGTH) {
            return new String(buf, off, len);
        }
        int h = 0;
        for (int i = off, end = off + len; i < end; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Entry cached = slots[slot];
        if (cached != null && cached.hash == h && Arrays.equals(cached.chars, 0, cached.chars.length, buf, off, off + len)) {
            return cached.string;
        }
        if (seen[slot] != h) {
            seen[slot] = h;
            return new String(buf, off, len);
        }
        char[] chars = Arrays.copyOfRange(buf, off, off + len);
        String fresh = new String(chars);
        slots[slot] = new Entry(fresh, chars, h);
        return fresh;
    }
}
