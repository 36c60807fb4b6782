package dev.pulse.operator.pipeline.spark;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The part of the Spark operator's status Pulse reads; everything else is ignored. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class SparkApplicationStatus {

  private ApplicationState applicationState;
  private String sparkApplicationId;

  public ApplicationState getApplicationState() { return applicationState; }
  public void setApplicationState(ApplicationState applicationState) { this.applicationState = applicationState; }
  public String getSparkApplicationId() { return sparkApplicationId; }
  public void setSparkApplicationId(String sparkApplicationId) { this.sparkApplicationId = sparkApplicationId; }

  /** {@code status.applicationState}: e.g. SUBMITTED, RUNNING, FAILED, PENDING_RERUN. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public static class ApplicationState {
    private String state;
    private String errorMessage;

    public ApplicationState() {}

    public ApplicationState(String state, String errorMessage) {
      this.state = state;
      this.errorMessage = errorMessage;
    }

    public String getState() { return state; }
    public void setState(String state) { this.state = state; }
    public String getErrorMessage() { return errorMessage; }
    public void setErrorMessage(String errorMessage) { this.errorMessage = errorMessage; }
  }
}
