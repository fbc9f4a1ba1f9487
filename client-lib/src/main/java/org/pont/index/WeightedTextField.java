package org.pont.index;

import java.io.IOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;

/**
 * A text value whose every word is indexed {@code weight} times at the same position: in a field
 * that gathers several parts of a message, a word of this value counts {@code weight} times in the
 * term frequency (BM25F-style field weighting inside one field), while the document length, which
 * BM25 takes without overlapping tokens, and the positions, which phrases use, are unchanged.
 */
final class WeightedTextField extends Field {
  private final int weight;

  WeightedTextField(String name, String value, int weight) {
    super(name, value, TextField.TYPE_NOT_STORED);
    if (weight < 1) {
      throw new IllegalArgumentException("weight must be 1 or more");
    }
    this.weight = weight;
  }

  @Override
  public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
    // Built when the writer inverts this value, from the analyzer's stream for the field, like any
    // text value (building it earlier would share the analyzer's reused components with other values).
    TokenStream words = super.tokenStream(analyzer, reuse);
    return weight == 1 ? words : new Repeat(words, weight);
  }

  /** Emits each token {@code times} times, the copies at the same position (increment 0). */
  static final class Repeat extends TokenFilter {
    private final int times;
    private final PositionIncrementAttribute position = addAttribute(PositionIncrementAttribute.class);
    private State word;
    private int copiesLeft;

    Repeat(TokenStream input, int times) {
      super(input);
      this.times = times;
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (copiesLeft > 0) {
        restoreState(word);
        position.setPositionIncrement(0);
        copiesLeft--;
        return true;
      }
      if (!input.incrementToken()) {
        return false;
      }
      word = captureState();
      copiesLeft = times - 1;
      return true;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      word = null;
      copiesLeft = 0;
    }
  }
}
