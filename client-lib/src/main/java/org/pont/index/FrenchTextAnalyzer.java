package org.pont.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.util.ElisionFilter;

/**
 * French text as people type it in a search box: elisions removed ({@code l'hôpital} → hôpital),
 * lower case, French stop words dropped, accents folded ({@code rééducation} = {@code reeducation}),
 * then French light stemming ({@code genoux} = {@code genou}). The same chain indexes and queries.
 */
final class FrenchTextAnalyzer extends Analyzer {

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer source = new StandardTokenizer();
    TokenStream s = new ElisionFilter(source, FrenchAnalyzer.DEFAULT_ARTICLES);
    s = new LowerCaseFilter(s);
    s = new StopFilter(s, FrenchAnalyzer.getDefaultStopSet());
    s = new ASCIIFoldingFilter(s);
    s = new FrenchLightStemFilter(s);
    return new TokenStreamComponents(source, s);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new ASCIIFoldingFilter(new LowerCaseFilter(new ElisionFilter(in, FrenchAnalyzer.DEFAULT_ARTICLES)));
  }
}
