package org.pont.gateway.james;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.apache.james.server.task.json.dto.TaskDTO;
import org.apache.james.server.task.json.dto.TaskDTOModule;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;

/**
 * James's task manager serialises the tasks other modules declare (re-indexing, WebAdmin...). The
 * gateway runs none of those modules, so it declares the two sets empty.
 */
final class NoTasksModule extends AbstractModule {
  @Override
  protected void configure() {
    Multibinder.newSetBinder(binder(),
        new TypeLiteral<TaskDTOModule<? extends Task, ? extends TaskDTO>>() {});
    Multibinder.newSetBinder(binder(),
        new TypeLiteral<AdditionalInformationDTOModule<? extends TaskExecutionDetails.AdditionalInformation, ? extends AdditionalInformationDTO>>() {});
  }
}
